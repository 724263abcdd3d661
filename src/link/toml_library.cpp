// toml++'s compiled part, what Debian's libtomlplusplus.so holds, built into
// dfopt (DFOPT_STATIC_LIBS in CMakeLists.txt, which sets TOML_HEADER_ONLY=0
// for every file): compiled here once.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
