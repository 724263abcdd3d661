package main

import (
	"os"
	"path/filepath"
	"text/template"
)

func main() {
	self, _ := os.Executable()
	template.Must(template.ParseGlob(filepath.Join(filepath.Dir(self), "templates", "*")))
}
