from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/")
def index():
    return jsonify(status="ok")


if __name__ == "__main__":
    # local runs
    app.run(host="0.0.0.0", port=8080, debug=True)
