package main

import (
	"embed"
	"html/template"
	"log"
	"net/http"
	"os"

	"example.com/shop/config"
)

// the icons are compiled into the binary
//go:embed assets
var assets embed.FS

func main() {
	settings, err := os.ReadFile("config.yaml")
	if err != nil {
		log.Fatal(err)
	}
	page := template.Must(template.ParseGlob("templates/*.html"))
	http.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	http.Handle("/assets/", http.FileServer(http.FS(assets)))
	log.Fatal(config.Serve(page, settings))
}
