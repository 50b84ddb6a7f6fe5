"""Run by tests/test_sqlite_default.py in its own process, on a throwaway SQLite file.

Two connections save the same row at once, each in a transaction that reads before it
writes, as an editor's save and the admin's autosave do (every request is a transaction).
Prints the journal mode, then one line saying whether both saves went through; exits
non-zero if either failed.
"""

import threading
import time

import django
from django.db import OperationalError, connection, transaction

django.setup()

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE draft (id INTEGER PRIMARY KEY, text TEXT)")
    cursor.execute("INSERT INTO draft (id, text) VALUES (1, 'first words')")
    cursor.execute("PRAGMA journal_mode")
    print(f"journal mode {cursor.fetchone()[0]}")
connection.close()

failures = []


def save(text: str) -> None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT text FROM draft WHERE id = 1")
            cursor.fetchone()
            # Long enough for the other save to have read too.
            time.sleep(0.5)
            cursor.execute("UPDATE draft SET text = %s WHERE id = 1", [text])
    except OperationalError as error:
        failures.append(str(error))
    finally:
        connection.close()


saves = [threading.Thread(target=save, args=(text,)) for text in ("autosave", "save")]
for thread in saves:
    thread.start()
for thread in saves:
    thread.join()

if failures:
    print(f"concurrent saves failed: {'; '.join(failures)}")
    raise SystemExit(1)
print("concurrent saves ok")
