package main
func main(){ os.WriteFile("uploads/x", nil, 0644); template.ParseGlob("templates/*.html") }
