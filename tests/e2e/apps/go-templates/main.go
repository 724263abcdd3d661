package main

import (
	"html/template"
	"log"
	"net/http"
	"os"
)

// The templates are read at run time, from the working directory.
var pages = template.Must(template.ParseGlob("templates/*.html"))

// write writes a file in the working directory and answers its content.
func write(w http.ResponseWriter, r *http.Request) {
	if err := os.WriteFile("written.txt", []byte("written by go-templates\n"), 0o644); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	data, err := os.ReadFile("written.txt")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(data)
}

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if err := pages.ExecuteTemplate(w, "index.html", "Go html/template"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	http.HandleFunc("/write", write)
	log.Println("listening on 8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
