const express = require("express");
express().get("/", (q, r) => r.send("hi")).listen(3000);
