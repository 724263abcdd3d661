require("x")
