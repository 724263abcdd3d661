// secrets: BuildKit's name rule (its own test's names), the value shapes,
// `# check=skip=`, and the moves the transform makes or refuses.
#include <catch2/catch.hpp>

#include "support.h"
#include "transforms/secrets/move.h"
#include "transforms/secrets/patterns.h"

using namespace dfopt;
using namespace dfopt::transforms::secrets;

TEST_CASE("secret names are BuildKit's", "[secrets]") {
  // The names BuildKit's testSecretsUsedInArgOrEnv expects to be reported...
  for (const char* name :
       {"SECRET_PASSPHRASE", "SUPER_Secret", "password", "secret", "super_duper_secret_token", "auth",
        "apikey", "git_key", "AWS_ACCESS_KEY_ID", "GPG_KEY", "NPM_TOKEN"}) {
    CAPTURE(name);
    CHECK(nameLooksSecret(name));
  }
  // ... and those it expects to pass, with names a token only contains.
  for (const char* name : {"sunflower", "PUBLIC_KEY", "public_token", "SECRET_PASSPHRASE_FILE",
                           "password_file", "secret_File", "AUTH_MODULE_VERSION", "GPG_KEYS", "PASSWORDS",
                           "DBPASSWORD", "KEYCLOAK_HOME", "TOKENIZERS_PARALLELISM"}) {
    CAPTURE(name);
    CHECK_FALSE(nameLooksSecret(name));
  }
}

TEST_CASE("values shaped like keys", "[secrets]") {
  CHECK(keyShape("AKIAIOSFODNN7EXAMPLE") == "an AWS access key");
  CHECK(keyShape("ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5") == "a GitHub token");
  CHECK(keyShape("-----BEGIN OPENSSH PRIVATE KEY-----") == "a private key");
  CHECK(keyShape("xoxb-1234567890-abcdefghij") == "a Slack token");
  CHECK(keyShape("q8Zt3LmN0vB7xR2kW9pY4sD6fG1hJ5cE") == "a long random string");
  // checksums, fingerprints, versions, paths and words are no keys
  CHECK(keyShape("8b9e4c7c2e7d2a1f5b6c3d4e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a").empty());
  CHECK(keyShape("A035C8C19219BA821ECEA86B64E628F8D684696D").empty());
  CHECK(keyShape("3.12.4").empty());
  CHECK(keyShape("/usr/local/lib/python3.12/site-packages").empty());
  CHECK(keyShape("org.springframework.boot.loader.JarLauncher").empty());
  CHECK(keyShape("").empty());
}

TEST_CASE("every key shape is told by its name, inside a longer value too, the first listed first",
          "[secrets]") {
  CHECK(keyShape("github_pat_11ABCDEFG0123456789abcdefghij") == "a GitHub token");
  CHECK(keyShape("glpat-abcdefghij0123456789") == "a GitLab token");
  CHECK(keyShape("sk_live_abcdefghij0123456789ABCD") == "a Stripe key");
  CHECK(keyShape("AIzaSyA1234567890abcdefghijklmnopqrstuv") == "a Google API key");
  CHECK(keyShape("ASIAIOSFODNN7EXAMPLE") == "an AWS access key");
  CHECK(keyShape("rk_live_abcdefghij0123456789ABCD") == "a Stripe key");
  CHECK(keyShape("ghs_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5") == "a GitHub token");
  CHECK(keyShape("xoxp-1234567890-abcdefghij") == "a Slack token");
  CHECK(keyShape("-----BEGIN PGP PRIVATE KEY BLOCK-----") == "a private key");
  CHECK(keyShape("--token=AKIAIOSFODNN7EXAMPLE --region eu") == "an AWS access key");
  CHECK(keyShape("key: -----BEGIN RSA PRIVATE KEY----- AKIAIOSFODNN7EXAMPLE") == "a private key");
  CHECK(keyShape("AKIAIOSFODNN7EXAMPLE xoxb-1234567890-abcdefghij") == "an AWS access key");
  CHECK(keyShape("xoxb-1234567890-abcdefghij AKIAIOSFODNN7EXAMPLE") == "an AWS access key");
  // the word boundaries hold: no key starts inside a word
  CHECK(keyShape("XAKIAIOSFODNN7EXAMPLE").empty());
  CHECK(keyShape("AKIAIOSFODNN7EXAMPLEX").empty());
  CHECK(keyShape("myghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5") == "a long random string");
}

TEST_CASE("GPG fingerprints are public", "[secrets]") {
  CHECK(isPublicFingerprint("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"));
  CHECK(isPublicFingerprint(
      "NODE_GPG_KEY", "0x4ED778F539E3634C779C87C6D7062848A1AB005C 141F07595B7B3FFE74309A937405533BE57C7D57"));
  CHECK_FALSE(isPublicFingerprint("API_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"));
  CHECK_FALSE(isPublicFingerprint("GPG_KEY", "hunter2"));
}

TEST_CASE("check=skip turns the rule off as BuildKit reads it", "[secrets]") {
  CHECK(skipsCheck("skip=SecretsUsedInArgOrEnv", "SecretsUsedInArgOrEnv"));
  CHECK(skipsCheck("skip=all", "SecretsUsedInArgOrEnv"));
  CHECK(skipsCheck("skip=JSONArgsRecommended, SecretsUsedInArgOrEnv;error=true", "SecretsUsedInArgOrEnv"));
  CHECK_FALSE(skipsCheck("error=true", "SecretsUsedInArgOrEnv"));
  CHECK_FALSE(skipsCheck("skip=JSONArgsRecommended", "SecretsUsedInArgOrEnv"));
}

TEST_CASE("the secret mount's env= option needs Dockerfile 1.10", "[secrets]") {
  auto form = [](const std::string& syntax) {
    return mountFormOf(testing::parseValid("# syntax=" + syntax + "\nFROM a\n"));
  };
  CHECK(form("docker/dockerfile:1") == MountForm::Env);
  CHECK(form("docker/dockerfile:1.10") == MountForm::Env);
  CHECK(form("docker/dockerfile:1.12-labs") == MountForm::Env);
  CHECK(form("docker.io/docker/dockerfile:1") == MountForm::Env);
  CHECK(form("docker/dockerfile") == MountForm::Env);
  CHECK(form("docker/dockerfile:1.4") == MountForm::File);
  CHECK(form("docker/dockerfile:1.9.0") == MountForm::File);
  CHECK(form("example.com/my/frontend:1") == MountForm::File);
  CHECK(mountFormOf(testing::parseValid("FROM a\nRUN --mount=type=cache,target=/c true\n")) ==
        MountForm::File);
}

TEST_CASE("secrets moves an ARG only RUN steps read", "[secrets]") {
  engine::Options unsafe;
  unsafe.unsafeFixes = true;
  auto run = testing::runTransform(
      "secrets", "# syntax=docker/dockerfile:1\nFROM a\nARG TOKEN\nRUN fetch \"$TOKEN\"\nRUN make\n", {},
      unsafe);
  CHECK(run.after ==
        "# syntax=docker/dockerfile:1\nFROM a\nRUN --mount=type=secret,id=TOKEN,env=TOKEN fetch "
        "\"$TOKEN\"\nRUN make\n");
  // a second ARG of the same name, a use by COPY, a global ARG: left alone
  CHECK(testing::runTransform(
            "secrets", "# syntax=docker/dockerfile:1\nFROM a\nARG TOKEN\nRUN x\nENV TOKEN=abc\n", {}, unsafe)
            .messages.find("line 5 declares it again") != std::string::npos);
  // BuildKit's comment above an instruction: the explanation after a blank is no rule
  CHECK(testing::runTransform("secrets",
                              "FROM a\n# check=skip=SecretsUsedInArgOrEnv // a test value\nENV TOKEN=abc\n",
                              {}, unsafe)
            .messages.empty());
  CHECK(testing::runTransform("secrets", "# syntax=docker/dockerfile:1\nFROM a\nARG TOKEN\nCOPY $TOKEN /x\n",
                              {}, unsafe)
            .messages.find("COPY on line 4 uses it") != std::string::npos);
  CHECK(testing::runTransform("secrets", "ARG TOKEN\nFROM a\nRUN x\n", {}, unsafe).messages.empty());
}

// Found by the pipeline fuzz target (golden secrets/arg-implicit-file-form):
// the comment lines above a removed ARG went with it.
TEST_CASE("a removed declaration leaves the comment lines above it", "[secrets]") {
  engine::Options unsafe;
  unsafe.unsafeFixes = true;
  auto run = testing::runTransform(
      "secrets",
      "FROM node:20-alpine\n# the registry token .npmrc reads\n# (see README)\n"
      "ARG NPM_TOKEN\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci\n",
      {{"package.json", "{}\n"}, {".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"}}, unsafe);
  CHECK(run.after ==
        "FROM node:20-alpine\n# the registry token .npmrc reads\n# (see README)\nCOPY . .\n"
        "RUN --mount=type=secret,id=NPM_TOKEN --mount=type=cache,target=/root/.npm export "
        "NPM_TOKEN=\"$(cat /run/secrets/NPM_TOKEN)\" && npm ci\n");
}
