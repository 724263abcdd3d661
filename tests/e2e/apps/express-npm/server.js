const express = require("express");
const fs = require("fs");

const app = express();

app.get("/", (req, res) => {
  res.type("text/plain").send("Hello from Express and npm!\n");
});

// Writes a file in the working directory and answers its content.
app.get("/write", (req, res) => {
  fs.writeFileSync("written.txt", "written by express-npm\n");
  res.type("text/plain").send(fs.readFileSync("written.txt", "utf8"));
});

app.listen(3000, "0.0.0.0", () => {
  console.log("listening on 3000");
});
