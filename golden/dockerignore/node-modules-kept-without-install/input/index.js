require("chalk")
