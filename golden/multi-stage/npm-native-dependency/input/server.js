require("bcrypt"); require("express")().listen(3000);
