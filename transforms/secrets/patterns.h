#pragma once
// What makes an ARG or ENV look like a secret: BuildKit's name rule
// (SecretsUsedInArgOrEnv) and values shaped like keys.
#include <string>
#include <string_view>

namespace dfopt::transforms::secrets {

// BuildKit's rule, exactly: a name token (between '_' or the name's ends,
// any case) among apikey, auth, credential(s), key, password, pword,
// passwd, secret, token, and none among public, file, version.
bool nameLooksSecret(std::string_view name);

// What the value looks like when it looks like a key ("an AWS access
// key", "a private key", "a long random string"...), else "".
std::string keyShape(std::string_view value);

// A GPG key fingerprint under a GPG name (GPG_KEY in the official python
// images): BuildKit reports the name, but the value is public.
bool isPublicFingerprint(std::string_view name, std::string_view value);

// A template's placeholder such as `%%PLACEHOLDER%%` (the official
// images' templates), filled in before any build.
bool isTemplatePlaceholder(std::string_view value);

// Does a `check` directive's value (`skip=A,B;error=true`) turn BuildKit's
// check `rule` off, as BuildKit reads it?
bool skipsCheck(std::string_view value, std::string_view rule);

}  // namespace dfopt::transforms::secrets
