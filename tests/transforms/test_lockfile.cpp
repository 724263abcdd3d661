// lockfile: which installs become lock-exact, and why others are kept.
#include <catch2/catch.hpp>

#include "support.h"

using dfopt::testing::runTransform;

namespace {

const std::string kPackage = R"({"name": "a", "dependencies": {"express": "^4.19.2"}})";
const std::string kLock =
    R"({"lockfileVersion": 3, "packages": {"": {"dependencies": {"express": "^4.19.2"}}}})";

}  // namespace

TEST_CASE("npm install follows --prefix and cd to the lock file", "[transforms][lockfile]") {
  std::map<std::string, std::string> files = {{"web/package.json", kPackage},
                                              {"web/package-lock.json", kLock}};
  auto prefix =
      runTransform("lockfile", "FROM node:20\nCOPY web /srv/web\nRUN npm install --prefix /srv/web\n", files);
  CHECK(prefix.after == "FROM node:20\nCOPY web /srv/web\nRUN npm ci --prefix /srv/web\n");
  auto cd =
      runTransform("lockfile", "FROM node:20\nCOPY web /srv/web\nRUN cd /srv && cd web && npm i\n", files);
  CHECK(cd.after == "FROM node:20\nCOPY web /srv/web\nRUN cd /srv && cd web && npm ci\n");
  // the install runs elsewhere: no lock there, and no package.json either
  auto elsewhere = runTransform("lockfile", "FROM node:20\nCOPY web /srv/web\nRUN npm install\n", files);
  CHECK(elsewhere.after == "FROM node:20\nCOPY web /srv/web\nRUN npm install\n");
  CHECK(elsewhere.messages.empty());
}

TEST_CASE("installs that name packages, or set the lock aside, are kept", "[transforms][lockfile]") {
  std::map<std::string, std::string> files = {{"package.json", kPackage}, {"package-lock.json", kLock}};
  std::string named = "FROM node:20\nCOPY . .\nRUN npm install express && yarn add lodash && pnpm add x\n";
  auto run = runTransform("lockfile", named, files);
  CHECK(run.after == named);
  CHECK(run.messages.empty());
  auto noLock =
      runTransform("lockfile", "FROM node:20\nCOPY . .\nRUN npm install --no-package-lock\n", files);
  CHECK(
      noLock.messages ==
      "info: npm install kept: it runs with --no-package-lock, which sets the lock file aside on purpose\n");
}

TEST_CASE("a Cargo workspace's lock is found above the member", "[transforms][lockfile]") {
  std::map<std::string, std::string> files = {
      {"Cargo.toml", "[workspace]\nmembers = [\"app\"]\n"},
      {"Cargo.lock", "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"},
      {"app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n"}};
  auto run = runTransform(
      "lockfile", "FROM rust:1.79\nWORKDIR /w\nCOPY . .\nRUN cd app && cargo build --release\n", files);
  CHECK(run.after == "FROM rust:1.79\nWORKDIR /w\nCOPY . .\nRUN cd app && cargo build --locked --release\n");
}

TEST_CASE("a Bundler already frozen, and a stale or foreign lock, are left alone", "[transforms][lockfile]") {
  std::map<std::string, std::string> files = {
      {"Gemfile", "source 'https://rubygems.org'\ngem 'rack'\n"},
      {"Gemfile.lock", "GEM\n  specs:\n    rack (3.0.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack\n"}};
  std::string configured =
      "FROM ruby:3.3\nCOPY . .\nRUN bundle config set --local deployment true\nRUN bundle install\n";
  CHECK(runTransform("lockfile", configured, files).after == configured);
  std::string env = "FROM ruby:3.3\nENV BUNDLE_FROZEN=true\nCOPY . .\nRUN bundle install\n";
  CHECK(runTransform("lockfile", env, files).messages.empty());
  files["Gemfile"] += "gem 'puma'\n";
  auto stale = runTransform("lockfile", "FROM ruby:3.3\nCOPY . .\nRUN bundle install\n", files);
  CHECK(stale.messages ==
        "info: bundle install kept: Gemfile.lock has no puma, which the Gemfile asks for, so "
        "BUNDLE_FROZEN=true "
        "bundle install would fail; update Gemfile.lock and commit it\n");
}

TEST_CASE("pnpm's lock of an older format needs a pinned pnpm", "[transforms][lockfile]") {
  std::string lock =
      "lockfileVersion: 5.4\n\nspecifiers:\n  express: ^4.19.2\n\ndependencies:\n  express: 4.19.2\n";
  std::string dockerfile = "FROM node:20\nRUN npm i -g pnpm\nCOPY . .\nRUN pnpm install\n";
  auto unpinned =
      runTransform("lockfile", dockerfile, {{"package.json", kPackage}, {"pnpm-lock.yaml", lock}});
  CHECK(unpinned.after == dockerfile);
  CHECK(unpinned.messages.find("lockfileVersion 5.4 of an older pnpm") != std::string::npos);
  std::string pinned = R"({"packageManager": "pnpm@7.33.0", "dependencies": {"express": "^4.19.2"}})";
  auto run = runTransform("lockfile", dockerfile, {{"package.json", pinned}, {"pnpm-lock.yaml", lock}});
  CHECK(run.after == "FROM node:20\nRUN npm i -g pnpm\nCOPY . .\nRUN pnpm install --frozen-lockfile\n");
}

TEST_CASE("uv sync --upgrade asks for new versions on purpose", "[transforms][lockfile]") {
  std::map<std::string, std::string> files = {
      {"pyproject.toml", "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = []\n"},
      {"uv.lock", "version = 1\n\n[[package]]\nname = \"a\"\nversion = \"1\"\n"}};
  auto run =
      runTransform("lockfile", "FROM python:3.12\nWORKDIR /a\nCOPY . .\nRUN uv sync --upgrade\n", files);
  CHECK(run.messages ==
        "info: uv sync kept: it runs with --upgrade, which asks for newer versions than uv.lock pins\n");
  auto fine = runTransform("lockfile", "FROM python:3.12\nWORKDIR /a\nCOPY . .\nRUN uv sync\n", files);
  CHECK(fine.after == "FROM python:3.12\nWORKDIR /a\nCOPY . .\nRUN uv sync --locked\n");
}
