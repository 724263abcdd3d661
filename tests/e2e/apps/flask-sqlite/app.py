"""Notes in a SQLite file and an uploads folder, both made at start in the
working directory."""
import os
import sqlite3

from flask import Flask

os.makedirs("uploads", exist_ok=True)
with sqlite3.connect("notes.db") as db:
    db.execute("CREATE TABLE IF NOT EXISTS notes (text TEXT)")

app = Flask(__name__)


@app.get("/")
def hello():
    with sqlite3.connect("notes.db") as db:
        (count,) = db.execute("SELECT COUNT(*) FROM notes").fetchone()
    return f"Hello from Flask and SQLite: {count} notes\n"


@app.get("/write")
def write():
    """Adds a note, writes it to uploads/, and answers its content."""
    with sqlite3.connect("notes.db") as db:
        db.execute("INSERT INTO notes VALUES ('written by flask-sqlite')")
    with open("uploads/note.txt", "w", encoding="utf-8") as f:
        f.write("written by flask-sqlite\n")
    with open("uploads/note.txt", encoding="utf-8") as f:
        return f.read()
