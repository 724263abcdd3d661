require("express")
