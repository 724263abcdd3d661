package main

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
	"github.com/joho/godotenv"

	"blog/handlers"
)

func main() {
	godotenv.Load()
	app := fiber.New(fiber.Config{Views: html.New("./views", ".html")})
	app.Post("/upload", handlers.Upload("uploads"))
	app.Listen(":3000")
}
