#include "print/transform_rules.h"

#include <array>

namespace dfopt::print {
namespace {

constexpr std::array kRules{
    TransformRule{
        "add-to-copy", "ADD becomes COPY when it only copies local files.",
        "ADD unpacks local archives and fetches URLs; for plain files of the build context COPY does "
        "the same and says so. Only the keyword changes. Left alone: remote URLs, git sources, "
        "archives, ADD-only flags and variables that cannot be resolved."},
    TransformRule{
        "lockfile", "A dependency install installs exactly what the lock file pins.",
        "npm install becomes npm ci, Yarn gets --frozen-lockfile or --immutable, pnpm "
        "--frozen-lockfile, uv sync --locked, cargo --locked, Bundler BUNDLE_FROZEN=true: the build "
        "then fails when the lock file is out of date instead of resolving other versions. Only when "
        "the lock file is copied before the install; a missing or ignored lock file is reported."},
    TransformRule{
        "poetry-flags", "poetry install --no-dev becomes --only main where Poetry reads it so.",
        "From Poetry 1.2 --no-dev means --only main, and Poetry 2 removed it. The flag changes when "
        "the Poetry in use is known to be 1.2 or newer; an unpinned Poetry gets the same fix as an "
        "unsafe one; an unknown version is reported."},
    TransformRule{
        "deps-first", "The dependency manifests are copied and installed before the source.",
        "Copying the whole source before the dependency install re-runs the install on every source "
        "edit. The manifests are copied first and the install runs before the source copy, with what "
        "the install needs moving with it; a refusal names the dependency that blocks the move."},
    TransformRule{
        "multi-stage", "A single stage that ships its tool chain is split into build and production.",
        "The build stage keeps the tool chain; the production stage starts from a lean runtime image "
        "and copies only the artifact, its locked production dependencies and what the program reads "
        "at run time. Development targets are left alone."},
    TransformRule{"non-root", "The final stage runs as an unprivileged user.",
                  "A user is created (or the one the file or the base image has is used), given the WORKDIR, "
                  "and USER goes before CMD/ENTRYPOINT. Root is kept, with the reason, for supervisors, "
                  "privilege-dropping entrypoints and servers whose master drops privileges."},
    TransformRule{
        "production-server", "A Python development server becomes the production server (unsafe).",
        "Flask's app.run, flask run and Django's runserver become gunicorn on the same host and port; "
        "uvicorn/gunicorn/hypercorn lose --reload; fastapi dev becomes fastapi run. Only when "
        "gunicorn is a main dependency; what gunicorn would not serve alike is refused."},
    TransformRule{
        "exec-form", "Shell-form CMD and ENTRYPOINT of the final stage become JSON exec form.",
        "In exec form the program is PID 1 and receives docker stop's SIGTERM (BuildKit's "
        "JSONArgsRecommended). Commands that need a shell are left alone with the reason; the fix is "
        "unsafe where an ENTRYPOINT receives the CMD as arguments."},
    TransformRule{
        "cache-hygiene", "Package caches stay out of the layers the image ships.",
        "pip gets --no-cache-dir, apt-get update its lists removed in the same RUN, apk --no-cache, "
        "npm and Yarn 1 a cache clean, dnf/yum clean all; with BuildKit syntax a cache mount "
        "replaces the cleanup. --no-install-recommends is an unsafe fix."},
    TransformRule{
        "secrets", "A secret in ARG or ENV moves to a secret mount (BuildKit's SecretsUsedInArgOrEnv).",
        "An ARG or ENV that holds a secret keeps its value in the image history or config. When the "
        "file may use BuildKit syntax and only RUN steps read it, the declaration goes and those RUN "
        "steps get --mount=type=secret (unsafe: the build must pass the secret with --secret)."},
    TransformRule{
        "buildkit", "BuildKit's own checks (docker build --check), with a fix where there is one.",
        "Stage name and keyword casing, empty continuation lines, duplicate or reserved stage names, "
        "repeated CMD/ENTRYPOINT/HEALTHCHECK, the legacy ENV key value form, EXPOSE formats and "
        "MAINTAINER, reported under BuildKit's check names; # check=skip= is honoured."},
    TransformRule{
        "base-tag", "A FROM without a tag or with latest is reported.",
        "The base image then moves under the build. With --pin-digests, an image the builder resolved "
        "is pinned by digest (unsafe: it gets no updates until the digest is changed)."},
    TransformRule{"dockerignore",
                  "A .dockerignore keeps what the image does not need out of the build context.",
                  "It is written or extended with what the context holds and the ecosystems leave behind, "
                  "never excluding a file the Dockerfile copies."},
    TransformRule{
        "stage-graph", "Stage references that name no stage, cycles and unused stages are reported.",
        "A --from or FROM naming no stage makes the builder pull an image of that name; stages that "
        "use each other in a circle fail the build; stages the last stage does not use are reported "
        "as info. Nothing is changed."},
};

}  // namespace

std::optional<TransformRule> transformRule(std::string_view name) {
  for (const TransformRule& rule : kRules) {
    if (rule.name == name) return rule;
  }
  return std::nullopt;
}

}  // namespace dfopt::print
