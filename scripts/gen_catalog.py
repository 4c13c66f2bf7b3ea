#!/usr/bin/env python3
"""Write a synthetic konf-wahl catalog of N tools into a folder, for benchmarks.

    scripts/gen_catalog.py N DIR [--seed S] [--as-of YYYY-MM-DD]

Every tool is one file DIR/synth-NNNNN.toml that follows docs/catalog-format.md: several
offerings, a seeded random value (or an explicit unknown with a note) for every fact key,
feature and accessibility need, sources with url or document, check dates, caveats,
assessments, join steps and a few retired tools. Same N and seed, same bytes. The result
is valid under `konf-wahl check --catalog DIR` (ids are prefixed `synth-`, so they never
collide with shipped tools). Old synth-*.toml files in DIR are removed first.

Python 3 standard library only.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys

SUPPORT = ["yes", "no", "partly"]
SUPPORT_KEYS = [
    "paid", "browser_join_desktop", "browser_join_mobile", "works_behind_firewall",
    "account_to_join", "account_to_host", "app_desktop", "app_android", "app_ios",
    "app_fdroid", "dial_in", "phone_only", "transport_encryption", "e2ee",
    "open_source", "self_hostable", "german_ui", "conditions_of_use",
]
FEATURES = [
    "screen_sharing", "chat", "raise_hand", "public_speaker_queue", "breakout_rooms",
    "recording", "presentation_upload", "whiteboard", "polls", "shared_notes", "waiting_room",
    "room_password", "live_captions", "mobile_app", "file_storage", "forum",
    "moderation", "streaming",
]
ACCESS = ["captions", "screen_reader", "keyboard", "sign_language", "plain_language"]
EFFORT = ["none", "low", "medium", "high"]
REGION = ["own_server", "germany", "eu_eea", "adequate_country", "usa", "other_third_country"]
SEAT = ["germany", "eu_eea", "adequate_country", "usa", "other_third_country"]
EASE = ["easy", "medium", "hard"]
DPA = ["yes", "no", "partly", "not_applicable"]
STATUS = ["active", "active", "active", "reduced", "uncertain"]
SOURCE_KINDS = ["vendor", "operator", "authority", "self_help", "research", "news", "blog_forum",
                "copy"]
ORGS = ["group", "association", "public_body", "research"]
KINDS = [("video", 70), ("phone", 10), ("messenger", 10), ("platform", 10)]
HOSTING = ["vendor", "self_hosted", "partner_hosted", "provider_hosted", "community"]
TOPICS = ["account", "install", "cost", "time_limit", "privacy", "size", "stability", "phone",
          "admin", "eligibility"]
LICENCES = ["Apache-2.0", "MIT", "AGPL-3.0-or-later", "GPL-3.0-only", "LGPL-3.0", "MPL-2.0",
            "BSD-3-Clause", "proprietary"]
SYLLABLES = ["kon", "fe", "ra", "mee", "tix", "vo", "lu", "sa", "bri", "ga", "do", "nel",
             "ta", "zu", "mo", "ri", "pen", "quo", "lia", "ster"]
SUFFIXES = ["Meet", "Talk", "Call", "Room", "Connect", "Live", "Konferenz", "Forum", "Cloud", ""]
CITIES = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Dublin", "Amsterdam", "Wien",
          "Zürich", "San José", "Oslo", "Tallinn"]
SENTENCES_DE = [
    "Teilnehmende brauchen nur einen Link aus der Einladung.",
    "Die Bedienung ist für Menschen mit wenig Übung gut zu schaffen.",
    "Für größere Runden gibt es kostenpflichtige Pakete.",
    "Der Anbieter betreibt Server in mehreren Ländern.",
    "Die Software kann auch auf einem eigenen Server laufen.",
    "Eine Einwahl per Telefon ist je nach Paket möglich.",
    "Moderierende können Mikrofone stummschalten und Räume sperren.",
    "Über die App lassen sich Treffen auch unterwegs besuchen.",
]
SENTENCES_EN = [
    "Participants only need a link from the invitation.",
    "People with little practice manage it well.",
    "Paid plans are available for larger meetings.",
    "The provider runs servers in several countries.",
    "The software can also run on one's own server.",
    "Dial-in by telephone is possible depending on the plan.",
    "Moderators can mute microphones and lock rooms.",
    "The app makes it possible to join while on the move.",
]
NOTES = [
    "Per host and month, excluding VAT.",
    "Sources disagree; the newer one was taken.",
    "Only in the web client.",
    "Stated in the vendor's FAQ; not tested.",
    "Depends on the server configuration.",
    "Limited to the paid plans in the stored excerpt.",
]
UNKNOWN_NOTES = [
    "no stored source found",
    "the vendor's documentation does not say",
    "sources contradict each other and neither is current",
    "asked the vendor, no answer yet",
]
STEPS_DE = [
    "Öffnen Sie den Link aus der Einladung.",
    "Erlauben Sie den Zugriff auf Kamera und Mikrofon.",
    "Geben Sie Ihren Namen ein.",
    "Klicken Sie auf „Beitreten“.",
    "Geben Sie das Passwort aus der Einladung ein, falls danach gefragt wird.",
    "Warten Sie, bis die Moderation Sie hereinlässt.",
]
STEPS_EN = [
    "Open the link from the invitation.",
    "Allow access to camera and microphone.",
    "Enter your name.",
    "Click 'Join'.",
    "Enter the password from the invitation if asked.",
    "Wait until the moderator lets you in.",
]
PHONE_DE = ["Rufen Sie die Einwahlnummer an.", "Geben Sie die PIN über die Tastatur ein."]
PHONE_EN = ["Call the dial-in number.", "Enter the PIN on the keypad."]


def q(text):
    """A TOML basic string (JSON string escapes are valid TOML escapes)."""
    return json.dumps(text, ensure_ascii=False)


def qlist(items):
    return "[" + ", ".join(q(i) for i in items) + "]"


class Gen:
    def __init__(self, rng, as_of):
        self.r = rng
        self.as_of = as_of

    def checked(self):
        # Mostly checked within the last year; some stale (older than 18 months).
        days = self.r.randint(0, 365) if self.r.random() < 0.85 else self.r.randint(366, 900)
        return (self.as_of - dt.timedelta(days=days)).isoformat()

    def published(self):
        r = self.r.random()
        d = self.as_of - dt.timedelta(days=self.r.randint(30, 3000))
        if r < 0.5:
            return d.isoformat()
        if r < 0.7:
            return d.strftime("%Y-%m")
        if r < 0.8:
            return d.strftime("%Y")
        return "undated"

    def name(self):
        n = self.r.randint(2, 3)
        base = "".join(self.r.choice(SYLLABLES) for _ in range(n)).capitalize()
        suffix = self.r.choice(SUFFIXES)
        return f"{base} {suffix}".strip()

    def fact_value(self, key):
        r = self.r
        if key == "price_eur_month":
            return r.choice([0, 0, 0, round(r.uniform(1, 40), 2), r.randint(5, 300)])
        if key in ("max_participants", "max_video_participants"):
            if r.random() < 0.15:
                return "unlimited"
            return r.choice([4, 8, 10, 25, 50, 100, 150, 300, 500, 1000])
        if key == "max_minutes":
            return r.choice([40, 45, 60, 180, 1440, "unlimited", "unlimited"])
        if key in SUPPORT_KEYS:
            return r.choice(SUPPORT)
        if key == "licence":
            return r.choice(LICENCES)
        if key == "admin_effort":
            return r.choice(EFFORT)
        if key == "data_location":
            return r.choice(REGION)
        if key == "operator":
            return f"{self.name()} GmbH, {r.choice(CITIES)}"
        if key in ("operator_seat", "jurisdiction"):
            return r.choice(SEAT)
        if key == "dpa_offered":
            return r.choice(DPA)
        if key == "service_status":
            return r.choice(STATUS)
        if key in ("min_licences", "works_for_participants"):
            return r.choice([1, 5, 10, 20, 50])
        if key == "price_per_licence_eur_month":
            return round(r.uniform(2, 20), 2)
        if key == "ease_of_use":
            return r.choice(EASE)
        if key == "eligible":
            return sorted(r.sample(ORGS, r.randint(1, 3)), key=ORGS.index)
        raise KeyError(key)

    def fact(self, value, sources, unknown_rate=0.15):
        """One inline fact table."""
        r = self.r
        if r.random() < unknown_rate:
            parts = ["unknown = true"]
            if r.random() < 0.4:
                parts.append(f"src = {q(r.choice(sources))}")
            parts.append(f"checked = {q(self.checked())}")
            parts.append(f"note = {q(r.choice(UNKNOWN_NOTES))}")
        else:
            v = qlist(value) if isinstance(value, list) else (
                q(value) if isinstance(value, str) else repr(value))
            parts = [f"value = {v}", f"src = {q(r.choice(sources))}",
                     f"checked = {q(self.checked())}"]
            if r.random() < 0.25:
                parts.append(f"note = {q(r.choice(NOTES))}")
        return "{ " + ", ".join(parts) + " }"

    def facts_block(self, header, keys, sources, presence, sub_presence):
        """`[header]` with a fact for a share `presence` of `keys`, plus features and
        accessibility sub-tables with a share `sub_presence` of their words."""
        r = self.r
        out = [f"[{header}]"]
        for key in keys:
            if r.random() < presence:
                out.append(f"{key} = {self.fact(self.fact_value(key), sources)}")
        for sub, words in (("features", FEATURES), ("accessibility", ACCESS)):
            lines = [f"{w} = {self.fact(r.choice(SUPPORT), sources)}"
                     for w in words if r.random() < sub_presence]
            if lines:
                out.append("")
                out.append(f"[{header}.{sub}]")
                out.extend(lines)
        return out

    def tool(self, index, ids):
        r = self.r
        tid = ids[index]
        name = self.name()
        kind = r.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        sources = [f"src-{i}" for i in range(r.randint(3, 9))]
        out = [
            f"# Synthetic benchmark entry {index} (scripts/gen_catalog.py); not a real tool.",
            f"id = {q(tid)}",
            f"name = {q(name)}",
            f"kind = {q(kind)}",
        ]
        if r.random() < 0.9:
            out.append(f"homepage = {q('https://' + tid + '.example.org/')}")
        n = r.randint(2, 4)
        picks = r.sample(range(len(SENTENCES_DE)), n)
        out += ["", "[description]",
                f"de = {q(name + ' ist ein Werkzeug für Treffen im Internet. ' + ' '.join(SENTENCES_DE[i] for i in picks))}",
                f"en = {q(name + ' is a tool for meeting online. ' + ' '.join(SENTENCES_EN[i] for i in picks))}"]
        if r.random() < 0.03:
            retired = (self.as_of - dt.timedelta(days=r.randint(100, 2000))).isoformat()
            out += ["", "[retired]", f"date = {q(retired)}"]
            if index > 0 and r.random() < 0.6:
                out.append(f"successor = {q(ids[r.randrange(index)])}")
            out += [f"src = {q(sources[0])}", f"checked = {q(self.checked())}",
                    f"note = {q('Switched off by the vendor.')}"]
        devices = ["computer", "smartphone"] + (["phone"] if r.random() < 0.4 else [])
        for device in devices:
            if device == "phone":
                de, en = PHONE_DE, PHONE_EN
            else:
                k = r.randint(3, len(STEPS_DE))
                de, en = STEPS_DE[:k], STEPS_EN[:k]
            out += ["", f"[join_steps.{device}]", f"de = {qlist(de)}", f"en = {qlist(en)}"]

        offerings = []
        hostings = r.sample(HOSTING, r.randint(1, 4))
        for i, hosting in enumerate(hostings):
            oid = {"vendor": "free" if i == 0 else "vendor-plan", "self_hosted": "own-server",
                   "partner_hosted": "partner", "provider_hosted": "provider",
                   "community": "community"}[hosting]
            offerings.append((oid, hosting))
        if r.random() < 0.3 and ("free", "vendor") in offerings:
            offerings.append(("pro", "vendor"))
        offering_ids = [o for o, _ in offerings]

        for _ in range(r.randint(0, 6)):
            i = r.randrange(len(SENTENCES_DE))
            out += ["", "[[caveats]]", f"de = {q('Achtung: ' + SENTENCES_DE[i])}",
                    f"en = {q('Note: ' + SENTENCES_EN[i])}"]
            if r.random() < 0.3:
                out.append(f"offerings = {qlist(r.sample(offering_ids, 1))}")
            out += [f"topics = {qlist(r.sample(TOPICS, r.randint(1, 2)))}",
                    f"src = {q(r.choice(sources))}", f"checked = {q(self.checked())}"]
        for _ in range(r.randint(0, 2)):
            verdict = r.choice([("grün", "green"), ("gelb", "yellow"), ("rot", "red")])
            out += ["", "[[assessments]]", f"by = {q(r.choice(['BlnBDI', 'Stiftung Warentest', 'LfDI BW']))}",
                    f"date = {q(self.published())}",
                    f"verdict = {{ de = {q(verdict[0])}, en = {q(verdict[1])} }}",
                    f"src = {q(r.choice(sources))}", f"checked = {q(self.checked())}"]
            if r.random() < 0.5:
                out.append(f"scope = {q(r.choice(offering_ids))}")

        # Shared facts: most keys; each offering overrides the ones that usually differ.
        shared = [k for k in FACT_KEYS if k not in ("price_eur_month", "paid", "eligible")]
        out.append("")
        out += self.facts_block("facts", shared, sources, presence=0.85, sub_presence=0.85)
        per_offering = ["price_eur_month", "paid", "max_participants", "max_minutes",
                        "data_location", "admin_effort", "account_to_host", "service_status",
                        "eligible"]
        for oid, hosting in offerings:
            out += ["", "[[offerings]]", f"id = {q(oid)}", f"hosting = {q(hosting)}",
                    f"name = {{ de = {q(name + ' ' + oid)}, en = {q(name + ' ' + oid)} }}", ""]
            keys = [k for k in per_offering if k != "eligible" or r.random() < 0.15]
            # Offerings override a few features.
            out += self.facts_block("offerings.facts", keys, sources, presence=0.8,
                                    sub_presence=0.2)

        for key in sources:
            out += ["", f"[sources.{key}]"]
            if r.random() < 0.85:
                out.append(f"url = {q('https://' + tid + '.example.org/' + key)}")
            else:
                out.append(f"document = {q('Infoblatt ' + name + ', S. ' + str(r.randint(1, 40)))}")
            if r.random() < 0.8:
                out.append(f"title = {q(name + ': ' + key)}")
            out.append(f"kind = {q(r.choice(SOURCE_KINDS))}")
            out.append(f"published = {q(self.published())}")
        return "\n".join(out) + "\n"


FACT_KEYS = [
    "price_eur_month", "price_per_licence_eur_month", "min_licences", "paid",
    "max_participants", "works_for_participants", "max_video_participants", "max_minutes",
    "browser_join_desktop", "browser_join_mobile", "works_behind_firewall", "account_to_join",
    "account_to_host", "app_desktop", "app_android", "app_ios", "app_fdroid", "dial_in",
    "phone_only", "dpa_offered", "transport_encryption", "e2ee", "open_source", "licence",
    "self_hostable", "admin_effort", "data_location", "operator", "operator_seat", "jurisdiction",
    "service_status", "conditions_of_use", "german_ui", "ease_of_use", "eligible",
]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of tools")
    p.add_argument("dir", help="output folder (created if missing)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--as-of", default="2026-11-25", help="newest check date (YYYY-MM-DD)")
    args = p.parse_args()
    if args.n < 1:
        p.error("n must be at least 1")
    as_of = dt.date.fromisoformat(args.as_of)
    os.makedirs(args.dir, exist_ok=True)
    for f in os.listdir(args.dir):
        if f.startswith("synth-") and f.endswith(".toml"):
            os.remove(os.path.join(args.dir, f))
    width = max(5, len(str(args.n - 1)))
    ids = [f"synth-{i:0{width}d}" for i in range(args.n)]
    rng = random.Random(args.seed)
    gen = Gen(rng, as_of)
    total = 0
    for i, tid in enumerate(ids):
        text = gen.tool(i, ids)
        total += len(text.encode())
        with open(os.path.join(args.dir, tid + ".toml"), "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"wrote {args.n} tools ({total / 1e6:.1f} MB) to {args.dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
