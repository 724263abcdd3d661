// The whole pipeline (`fix`) on any Dockerfile in a small build context
// with the usual manifests: the properties of tests/properties.h hold.
#include <cstdint>
#include <string>

#include "check.h"
#include "context/build_context.h"
#include "properties.h"

using namespace dfopt;

namespace {

const context::BuildContext& buildContext() {
  static const context::BuildContext context = context::BuildContext::fromFiles({
      {"requirements.txt", "flask==3.0.0\ngunicorn==21.2.0\n"},
      {"app.py", "from flask import Flask\napp = Flask(__name__)\n"},
      {"pyproject.toml",
       "[tool.poetry]\nname = \"app\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\n"
       "python = \"^3.11\"\nflask = \"^3.0\"\n"},
      {"poetry.lock",
       "[[package]]\nname = \"flask\"\nversion = \"3.0.0\"\n\n[metadata]\nlock-version = \"2.0\"\n"},
      {"package.json",
       "{\"name\": \"app\", \"version\": \"1.0.0\", \"scripts\": {\"start\": \"node index.js\", \"build\": "
       "\"tsc\"},\n \"dependencies\": {\"express\": \"^4.18.2\"}}\n"},
      {"package-lock.json",
       "{\"name\": \"app\", \"version\": \"1.0.0\", \"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": "
       "\"app\", \"dependencies\": {\"express\": \"^4.18.2\"}}, \"node_modules/express\": {\"version\": "
       "\"4.18.2\"}}}\n"},
      {"index.js", "require('express')().listen(3000);\n"},
      {"go.mod", "module example.com/app\n\ngo 1.22\n"},
      {"go.sum", ""},
      {"main.go", "package main\n\nfunc main() {}\n"},
      {"Gemfile", "source 'https://rubygems.org'\ngem 'rails'\n"},
      {"Gemfile.lock", "GEM\n  specs:\n    rails (7.1.0)\n\nDEPENDENCIES\n  rails\n"},
      {".env", "SECRET=1\n"},
      {"static/index.html", "<html></html>\n"},
  });
  return context;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;  // the pipeline is slow on large input: that is the speed work's
  std::string text(reinterpret_cast<const char*>(data), size);
  engine::Options options;
  // Half of the inputs run as --unsafe-fixes does, so that those fixes are fuzzed too.
  options.unsafeFixes = size % 2 == 1;
  std::optional<std::string> broken = testing::brokenPipelineProperty(text, buildContext(), options);
  fuzz::require(!broken, broken.value_or(""));
  return 0;
}
