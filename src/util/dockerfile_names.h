#pragma once
// Which file names a directory walk takes for Dockerfiles.
#include <string_view>

namespace dfopt::text {

// Dockerfile, Containerfile and dockerfile (docker build's fallback); Dockerfile.* and Containerfile.*
// (Dockerfile.dev); *.Dockerfile and *.Containerfile (web.Dockerfile), also
// with the lower-case extension editors and GitHub know (web.dockerfile);
// the same with a dash or an underscore for the dot (Dockerfile-alpine,
// prod_Dockerfile).
// Not a name that only looks like one: documentation (.md, .txt, .rst,
// .adoc), leftovers of patches, editors and backups (.orig, .rej, .bak,
// .swp, .swo, .tmp, a trailing ~), BuildKit's per-Dockerfile ignore file
// (Dockerfile.dockerignore) and templates that are not Dockerfiles until
// rendered (.template, .tmpl, .tpl, .j2, .jinja, .jinja2, .erb, .in).
bool isDockerfileName(std::string_view name);

}  // namespace dfopt::text
