from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello from Flask and Poetry!\n"


@app.get("/write")
def write():
    """Writes a file in the working directory and answers its content."""
    with open("written.txt", "w", encoding="utf-8") as f:
        f.write("written by flask-poetry\n")
    with open("written.txt", encoding="utf-8") as f:
        return f.read()
