"""Drives `konf-wahl init` through a pseudo-terminal like a person at the keyboard.

Usage: init_session.py BINARY OUTFILE SESSION
SESSION is `de` (the German questionnaire with every step: welcome, a wrong number, going back
with Esc, ja/nein, a German decimal, a forbidden tool, the summary with one change, the next
step), `en` (the English one, short) or `abort` (Ctrl-C at the first question).
Waits for the text of each step, then types the answer (arrow keys, space, enter, text); exits
non-zero with the screen so far if an expected text does not appear.
"""
import fcntl
import os
import pty
import shlex
import select
import struct
import sys
import termios
import time

binary, outfile, session = sys.argv[1], sys.argv[2], sys.argv[3]
UP, DOWN, ENTER, SPACE, ESC, BACKSPACE, CTRL_C = "\x1b[A", "\x1b[B", "\r", " ", "\x1b", "\x7f", "\x03"

# Each step: (text to wait for, keys to send); keys None only waits. A step that answers a
# question waits for the question; the checks in between wait for what the person must see.
SESSIONS = {
    "de": [
        ("Willkommen", None),
        ("Nichts wird irgendwohin gesendet", None),
        ("Esc geht eine Frage zurück", None),
        ("(1/17) Wie heißt die Gruppe", "Testgruppe" + ENTER),
        ("Wer ist die Gruppe", ENTER),
        ("Wie viele Personen", "0" + ENTER),
        ("Bitte geben Sie eine Zahl ab 1 ein, zum Beispiel 8.", BACKSPACE + "8" + ENTER),
        ("Wie lange dauert", ENTER),
        # Esc goes back to the length, which is changed to 120.
        ("Wie oft trifft", ESC),
        ("zurück", None),
        ("Wie lange dauert", "120" + ENTER),
        ("Wie oft trifft", ENTER),
        ("Wofür soll", ENTER),
        ("Welche Geräte", ENTER),
        ("Wie viel Übung", UP + ENTER),
        ("Wie vertraulich", DOWN + ENTER),
        ("Was darf die Lösung", "12,50" + ENTER),
        ("12,50 €", None),
        ("Kann jemand einen eigenen Server", ENTER),
        # Typing filters the list; the space ticks Zoom.
        ("Verbietet Ihr Dachverband", "Zoom"),
        ("Zoom", SPACE + ENTER),
        ("installieren", "nein" + ENTER),
        ("Nein", None),
        ("Konto anzulegen", "j" + ENTER),
        ("Ja", None),
        # Every feature says what it means.
        ("unverzichtbar", None),
        ("Kleingruppenräume – Die Gruppe teilt sich zeitweise in kleine Runden auf.", SPACE + ENTER),
        ("wären schön", DOWN + DOWN + SPACE + ENTER),
        ("Barrierefreiheit braucht", ENTER),
        ("Ihre Antworten im Überblick", None),
        ("Dauer eines Treffens:", None),
        ("120 Minuten", None),
        ("Verbotene Programme:", None),
        ("Stimmt das so?", "n" + ENTER),
        # Change the number of people: the third answer in the list.
        ("Welche Antwort möchten Sie ändern", DOWN + DOWN + ENTER),
        ("Wie viele Personen", "10" + ENTER),
        ("höchstens 10", None),
        ("Stimmt das so?", "ja" + ENTER),
        ("Geschrieben: " + outfile, None),
        ("konf-wahl recommend %s --format html -o %s" % (outfile, outfile[: -len(".toml")] + ".html"), None),
        ("--annex", None),
    ],
    "en": [
        ("Nothing is sent anywhere", None),
        ("What is the group called", ENTER),
        ("Who is the group", ENTER),
        ("How many people", "6" + ENTER),
        ("How long does", "60" + ENTER),
        ("How often", DOWN + DOWN + ENTER),
        ("What is the technology for", ENTER),
        ("Which devices", ENTER),
        ("How much practice", ENTER),
        ("How confidential", ENTER),
        ("What may it cost", "12.50" + ENTER),
        ("€12.50", None),
        ("Can anyone run a server", DOWN + ENTER),
        ("Which programs does your partner", SPACE + ENTER),
        ("forbid certain programs", ENTER),
        ("install a program", "y" + ENTER),
        ("Yes", None),
        ("create an account", "no" + ENTER),
        ("No", None),
        ("must-haves", ENTER),
        ("would be nice", ENTER),
        ("Which accessibility", SPACE + ENTER),
        ("Your answers at a glance", None),
        ("Is this right?", "y" + ENTER),
        ("Written: " + outfile, None),
        ("konf-wahl recommend %s --format html --lang en -o %s"
         % (shlex.quote(outfile), shlex.quote(outfile[: -len(".toml")] + ".html")), None),
    ],
    "abort": [
        ("Wie heißt die Gruppe", CTRL_C),
        ("Abgebrochen; es wurde nichts geschrieben.", None),
    ],
}

pid, fd = pty.fork()
if pid == 0:
    lang = "en" if session == "en" else "de"
    os.execv(binary, [binary, "init", outfile, "--lang", lang])

# A wide screen, so no line of the questionnaire is wrapped in the middle of a checked text.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))

buffer = b""
screen = b""


def expect(text, timeout=10.0):
    """Reads until `text` appears after what earlier steps saw, and moves past it."""
    global buffer, screen
    want = text.encode()
    end = time.time() + timeout
    while want not in buffer:
        left = end - time.time()
        if left <= 0:
            sys.stderr.write(
                "timed out waiting for %r; screen so far:\n%s\n"
                % (text, screen.decode(errors="replace")[-3000:])
            )
            sys.exit(2)
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                continue
            buffer += chunk
            screen += chunk
    buffer = buffer[buffer.index(want) + len(want):]


for text, keys in SESSIONS[session]:
    expect(text)
    if keys is not None:
        # The prompt is drawn before it reads keys; a moment lets it switch the terminal to
        # raw mode, and Esc is sent alone so it is not read as the start of an arrow key.
        time.sleep(0.03)
        os.write(fd, keys.encode())

# Read to the end so the program can finish writing.
while True:
    try:
        if not os.read(fd, 4096):
            break
    except OSError:
        break
_, status = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(status))
