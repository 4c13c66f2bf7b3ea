//! The fixed words of the answers contract and the catalog, with their German and English
//! labels. One macro defines each word list so the serde name, the list of allowed words (for
//! did-you-mean hints) and the labels shown in reports can never drift apart.

use serde::{Deserialize, Serialize};

/// The language of everything a group reads. German is the default.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Deutsch.
    #[default]
    De,
    /// English.
    En,
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal, $de:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every word, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The words as written in files.
            pub const WORDS: &'static [&'static str] = &[$($word,)+];

            /// The word as written in files.
            pub fn word(self) -> &'static str {
                match self { $($name::$variant => $word,)+ }
            }

            /// A readable label in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::De) => $de, ($name::$variant, Lang::En) => $en,)+
                }
            }

            /// Parses a word as written in files.
            pub fn from_word(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

vocabulary! {
    /// Who the group is; some offerings are only for some (DFNconf: research bodies).
    Organisation {
        /// A self-help group.
        Group = "group", "Selbsthilfegruppe", "self-help group";
        /// An association or umbrella body.
        Association = "association", "Verein oder Verband", "association";
        /// A public body (administration).
        PublicBody = "public_body", "Behörde oder Verwaltung", "public body";
        /// A research or education body.
        Research = "research", "Hochschule oder Forschungseinrichtung", "research or education body";
    }
}

vocabulary! {
    /// How often the group meets.
    Frequency {
        /// Once.
        Once = "once", "einmalig", "once";
        /// Monthly.
        Monthly = "monthly", "monatlich", "monthly";
        /// Weekly.
        Weekly = "weekly", "wöchentlich", "weekly";
        /// Daily.
        Daily = "daily", "täglich", "daily";
    }
}

vocabulary! {
    /// What the tool is for.
    Purpose {
        /// Group meetings.
        Meeting = "meeting", "Gruppentreffen", "group meetings";
        /// Public information events.
        InfoEvent = "info_event", "Informationsveranstaltungen", "information events";
        /// Seminars and training.
        Seminar = "seminar", "Seminare", "seminars";
        /// Written chat.
        Chat = "chat", "Chat", "chat";
        /// A forum.
        Forum = "forum", "Forum", "forum";
        /// Shared files.
        FileStorage = "file_storage", "Dateiablage", "file storage";
    }
}

vocabulary! {
    /// Devices the members use.
    Device {
        /// Computer or laptop.
        Computer = "computer", "Computer", "computer";
        /// Tablet.
        Tablet = "tablet", "Tablet", "tablet";
        /// Smartphone.
        Smartphone = "smartphone", "Smartphone", "smartphone";
        /// Telephone without internet.
        Phone = "phone", "Telefon (ohne Internet)", "telephone (no internet)";
    }
}

vocabulary! {
    /// How confident members are with technology.
    MediaLiteracy {
        /// Little practice.
        Low = "low", "wenig Übung", "little practice";
        /// Some practice.
        Medium = "medium", "etwas Übung", "some practice";
        /// Confident.
        High = "high", "sicher im Umgang", "confident";
    }
}

vocabulary! {
    /// How confidential the talks are.
    Confidentiality {
        /// Public content, e.g. an information evening.
        Public = "public", "öffentlich", "public";
        /// Internal, but not especially sensitive.
        Internal = "internal", "intern", "internal";
        /// Strictly confidential, e.g. health or family matters.
        Strict = "strict", "streng vertraulich", "strictly confidential";
    }
}

vocabulary! {
    /// Whether anyone can run a server.
    SelfHosting {
        /// Nobody.
        None = "none", "niemand", "nobody";
        /// A contact office or association runs a server for the group.
        Partner = "partner", "ein Partner (Kontaktstelle oder Verband)", "a partner (contact office or association)";
        /// The group runs its own server.
        Own = "own", "die Gruppe selbst", "the group itself";
    }
}

vocabulary! {
    /// Features a group may need or wish for.
    Feature {
        /// Screen sharing.
        ScreenSharing = "screen_sharing", "Bildschirm teilen", "screen sharing";
        /// Text chat.
        Chat = "chat", "Chat", "chat";
        /// Raise hand.
        RaiseHand = "raise_hand", "Hand heben", "raise hand";
        /// A speaker queue visible to everyone.
        PublicSpeakerQueue = "public_speaker_queue", "für alle sichtbare Redeliste", "speaker queue visible to all";
        /// Breakout rooms.
        BreakoutRooms = "breakout_rooms", "Kleingruppenräume", "breakout rooms";
        /// Recording.
        Recording = "recording", "Aufzeichnung", "recording";
        /// Uploading a presentation.
        PresentationUpload = "presentation_upload", "Präsentation hochladen", "presentation upload";
        /// Whiteboard.
        Whiteboard = "whiteboard", "Whiteboard", "whiteboard";
        /// Polls.
        Polls = "polls", "Umfragen", "polls";
        /// Shared notes.
        SharedNotes = "shared_notes", "gemeinsame Notizen", "shared notes";
        /// Waiting room / lobby.
        WaitingRoom = "waiting_room", "Warteraum", "waiting room";
        /// Room password.
        RoomPassword = "room_password", "Raum-Passwort", "room password";
        /// Telephone dial-in.
        DialIn = "dial_in", "Einwahl per Telefon", "telephone dial-in";
        /// End-to-end encryption.
        E2ee = "e2ee", "Ende-zu-Ende-Verschlüsselung", "end-to-end encryption";
        /// Live captions.
        LiveCaptions = "live_captions", "Live-Untertitel", "live captions";
        /// A mobile app.
        MobileApp = "mobile_app", "App für Smartphone", "mobile app";
        /// File storage.
        FileStorage = "file_storage", "Dateiablage", "file storage";
        /// A forum.
        Forum = "forum", "Forum", "forum";
        /// Moderation controls.
        Moderation = "moderation", "Moderationsrechte", "moderation controls";
        /// Live streaming.
        Streaming = "streaming", "Live-Übertragung (Streaming)", "live streaming";
    }
}

vocabulary! {
    /// Accessibility needs.
    AccessNeed {
        /// Captions.
        Captions = "captions", "Untertitel", "captions";
        /// Screen reader support.
        ScreenReader = "screen_reader", "Bildschirmleser", "screen reader";
        /// Sign language interpreting (pinning a video).
        SignLanguage = "sign_language", "Gebärdensprache", "sign language";
        /// Full keyboard operation.
        Keyboard = "keyboard", "Bedienung per Tastatur", "keyboard operation";
        /// Plain language.
        PlainLanguage = "plain_language", "Leichte Sprache", "plain language";
    }
}

vocabulary! {
    /// Whether a tool has a property.
    Support {
        /// Yes.
        Yes = "yes", "ja", "yes";
        /// No.
        No = "no", "nein", "no";
        /// With limits.
        Partly = "partly", "teilweise", "partly";
    }
}

vocabulary! {
    /// Whether a data processing agreement (AVV, Art. 28 GDPR) is offered.
    Dpa {
        /// Offered.
        Yes = "yes", "ja", "yes";
        /// Not offered.
        No = "no", "nein", "no";
        /// With limits.
        Partly = "partly", "teilweise", "partly";
        /// Not needed: nobody processes data on the group's behalf (its own server).
        NotApplicable = "not_applicable", "entfällt (eigener Server)", "not applicable (own server)";
    }
}

vocabulary! {
    /// Whether a service is still offered.
    ServiceStatus {
        /// Offered and maintained.
        Active = "active", "in Betrieb", "active";
        /// Still running with less care (e.g. only security updates, no support).
        Reduced = "reduced", "eingeschränkter Betrieb", "reduced operation";
        /// No current primary source shows that it is still offered.
        Uncertain = "uncertain", "unklar, ob es noch angeboten wird", "uncertain whether still offered";
        /// No longer offered.
        Retired = "retired", "eingestellt", "retired";
    }
}

vocabulary! {
    /// What kind of document a source is; decides how far a fact resting on it is trusted.
    SourceKind {
        /// The maker or seller of the software (help pages, price lists, terms).
        Vendor = "vendor", "Hersteller", "vendor";
        /// Who runs the service or instance (a community server, a hoster, a contact office).
        Operator = "operator", "Betreiber", "operator";
        /// A public authority (data protection commissioner, BSI, a ministry).
        Authority = "authority", "Behörde", "authority";
        /// A self-help body (NAKOS, a Kontaktstelle, an umbrella organisation).
        SelfHelp = "self_help", "Selbsthilfe-Organisation", "self-help body";
        /// A university, test institute or consumer test.
        Research = "research", "Hochschule oder Test", "research or test";
        /// A news report.
        News = "news", "Nachrichten", "news";
        /// A blog post or forum thread.
        BlogForum = "blog_forum", "Blog oder Forum", "blog or forum";
        /// A copy of someone else's text (mirror, scraper, aggregator).
        Copy = "copy", "Kopie", "copy";
    }
}

impl Feature {
    /// Features the catalog records as facts of their own (`e2ee`, `dial_in`), not in the
    /// `features` table, so a need for them reads the same fact the scores read.
    pub fn is_top_level_fact(self) -> bool {
        matches!(self, Feature::E2ee | Feature::DialIn)
    }
}

impl SourceKind {
    /// Sources that cannot carry a decisive fact alone.
    pub fn is_weak(self) -> bool {
        matches!(self, SourceKind::BlogForum | SourceKind::Copy)
    }
}

vocabulary! {
    /// How an offering is run.
    Hosting {
        /// The vendor's cloud.
        Vendor = "vendor", "beim Hersteller", "vendor cloud";
        /// On the group's own server.
        SelfHosted = "self_hosted", "auf eigenem Server", "own server";
        /// On a partner's server (contact office, association).
        PartnerHosted = "partner_hosted", "auf dem Server eines Partners", "partner's server";
        /// By a paid hosting provider.
        ProviderHosted = "provider_hosted", "bei einem Hosting-Anbieter", "hosting provider";
        /// A free community instance.
        Community = "community", "freie Gemeinschafts-Instanz", "free community instance";
    }
}

vocabulary! {
    /// What kind of tool it is.
    ToolKind {
        /// Video conferencing.
        Video = "video", "Videokonferenz", "video conferencing";
        /// Telephone conference.
        Phone = "phone", "Telefonkonferenz", "phone conference";
        /// Messenger with group calls.
        Messenger = "messenger", "Messenger", "messenger";
        /// Collaboration platform.
        Platform = "platform", "Plattform", "platform";
    }
}

vocabulary! {
    /// Where data is processed or an operator is seated.
    Region {
        /// The group's or partner's own server.
        OwnServer = "own_server", "eigener Server", "own server";
        /// Germany.
        Germany = "germany", "Deutschland", "Germany";
        /// EU/EEA.
        EuEea = "eu_eea", "EU/EWR", "EU/EEA";
        /// A country with an EU adequacy decision (e.g. Switzerland, UK).
        AdequateCountry = "adequate_country", "Land mit Angemessenheitsbeschluss", "country with adequacy decision";
        /// USA.
        Usa = "usa", "USA", "USA";
        /// Another third country.
        OtherThirdCountry = "other_third_country", "anderes Drittland", "other third country";
    }
}

vocabulary! {
    /// Ease of use for people with little practice.
    Ease {
        /// Easy.
        Easy = "easy", "einfach", "easy";
        /// Medium.
        Medium = "medium", "mittel", "medium";
        /// Hard.
        Hard = "hard", "anspruchsvoll", "demanding";
    }
}

vocabulary! {
    /// Effort to run an offering.
    Effort {
        /// None: the operator runs it.
        None = "none", "keiner", "none";
        /// Low.
        Low = "low", "gering", "low";
        /// Medium.
        Medium = "medium", "mittel", "medium";
        /// High.
        High = "high", "hoch", "high";
    }
}

vocabulary! {
    /// Topics of caveats, to pick the ones that matter for a group.
    CaveatTopic {
        /// Accounts.
        Account = "account", "Konto", "account";
        /// Installing software.
        Install = "install", "Installation", "installation";
        /// Cost.
        Cost = "cost", "Kosten", "cost";
        /// Time limits.
        TimeLimit = "time_limit", "Zeitlimit", "time limit";
        /// Privacy and data protection.
        Privacy = "privacy", "Datenschutz", "privacy";
        /// Group size.
        Size = "size", "Gruppengröße", "group size";
        /// Stability.
        Stability = "stability", "Stabilität", "stability";
        /// Telephone.
        Phone = "phone", "Telefon", "telephone";
        /// Joining over the internet (browser, app): left out for a group on the telephone only.
        Online = "online", "Internet", "internet";
        /// Administration effort.
        Admin = "admin", "Betrieb", "administration";
        /// Retirement.
        Retired = "retired", "eingestellt", "retired";
        /// Who may use it.
        Eligibility = "eligibility", "Berechtigung", "eligibility";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_through_serde() {
        for feature in Feature::ALL {
            let json = serde_json::to_string(feature).unwrap();
            assert_eq!(json, format!("\"{}\"", feature.word()));
            assert_eq!(Feature::from_word(feature.word()), Some(*feature));
        }
        assert_eq!(Feature::WORDS.len(), 20);
    }

    #[test]
    fn labels_exist_in_both_languages() {
        assert_eq!(
            Confidentiality::Strict.label(Lang::De),
            "streng vertraulich"
        );
        assert_eq!(Device::Phone.label(Lang::En), "telephone (no internet)");
    }
}
