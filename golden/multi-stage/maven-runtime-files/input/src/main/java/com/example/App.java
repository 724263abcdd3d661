package com.example;

import java.nio.file.Files;
import java.nio.file.Path;

public class App {
  public static void main(String[] args) throws Exception {
    String cities = Files.readString(Path.of("data/cities.json"));
    System.out.println(cities.length());
  }
}
