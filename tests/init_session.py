"""Drives `konf-wahl init` through a pseudo-terminal like a person at the keyboard.

Usage: init_session.py BINARY OUTFILE
Waits for each question, then types the answer (arrow keys, space, enter, text).
"""
import os
import pty
import select
import sys
import time

binary, outfile = sys.argv[1], sys.argv[2]
UP, DOWN, ENTER, SPACE = "\x1b[A", "\x1b[B", "\r", " "

# (text the question shows, keys to send)
SCRIPT = [
    ("Wie heißt die Gruppe", "Testgruppe" + ENTER),
    ("Wer ist die Gruppe", ENTER),
    ("Wie viele Personen", "8" + ENTER),
    ("Wie lange dauert", ENTER),
    ("Wie oft trifft", ENTER),
    ("Wofür soll", ENTER),
    ("Welche Geräte", ENTER),
    ("Wie viel Übung", UP + ENTER),
    ("Wie vertraulich", DOWN + ENTER),
    ("Was darf die Lösung", ENTER),
    ("Kann jemand einen eigenen Server", ENTER),
    ("installieren", "n" + ENTER),
    ("Konto anzulegen", "n" + ENTER),
    ("unverzichtbar", SPACE + ENTER),
    ("wären schön", DOWN + DOWN + SPACE + ENTER),
    ("Barrierefreiheit braucht", ENTER),
]

pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, [binary, "init", outfile, "--lang", "de"])

buffer = b""


def expect(text, timeout=10.0):
    global buffer
    want = text.encode()
    end = time.time() + timeout
    while want not in buffer:
        left = end - time.time()
        if left <= 0:
            sys.stderr.write("timed out waiting for %r; screen so far:\n%s\n" % (text, buffer.decode(errors="replace")[-2000:]))
            sys.exit(2)
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
    buffer = b""


for question, keys in SCRIPT:
    expect(question)
    time.sleep(0.05)
    os.write(fd, keys.encode())

expect("Geschrieben", timeout=10)
_, status = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(status))
