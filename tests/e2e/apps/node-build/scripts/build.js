// The build step: dist/server.js is src/server.js with BUILD_INFO defined
// (the package's name and version), as a bundler would inline it.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const source = fs.readFileSync(path.join(root, "src", "server.js"), "utf8");
fs.mkdirSync(path.join(root, "dist"), { recursive: true });
const info = JSON.stringify(`${pkg.name} ${pkg.version}`);
fs.writeFileSync(path.join(root, "dist", "server.js"), `const BUILD_INFO = ${info};\n${source}`);
console.log("built dist/server.js");
