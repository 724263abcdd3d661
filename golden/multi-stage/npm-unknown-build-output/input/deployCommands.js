console.log("registered");
