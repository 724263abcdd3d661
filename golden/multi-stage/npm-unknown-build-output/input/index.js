require("./compiled/bot.js");
