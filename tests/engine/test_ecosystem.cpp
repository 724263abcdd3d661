// The ecosystems a folder of the build context is marked with: a requirements
// file only directly in the folder, whatever other paths sort around it.
#include <algorithm>

#include <catch2/catch.hpp>

#include "context/build_context.h"
#include "engine/ecosystem.h"

using dfopt::context::BuildContext;
using dfopt::engine::Ecosystem;
using dfopt::engine::ecosystemsIn;

namespace {

bool marksPip(const BuildContext& context, std::string_view directory) {
  auto found = ecosystemsIn(context, directory);
  return std::find(found.begin(), found.end(), Ecosystem::Pip) != found.end();
}

}  // namespace

TEST_CASE("a requirements file marks pip only in its own folder", "[engine][ecosystem]") {
  auto context = BuildContext::fromFiles({{"requirements-dev.txt", ""},
                                          {"requirements.in", ""},
                                          {"api/requirements/base.txt", ""},
                                          {"api/requirementsX.txt", ""},
                                          {"web/requirements.txt.bak", ""},
                                          {"web/requirements", ""},
                                          {"worker/a/requirements.txt", ""}});
  CHECK(marksPip(context, "."));
  CHECK(marksPip(context, "api"));  // requirementsX.txt: a requirements file by its name
  CHECK_FALSE(marksPip(context, "web"));
  CHECK_FALSE(marksPip(context, "worker"));
  CHECK(marksPip(context, "worker/a"));
  CHECK_FALSE(marksPip(BuildContext::fromFiles({{"api/requirements/base.txt", ""}}), "api"));
  CHECK_FALSE(marksPip(BuildContext::fromFiles({}), "."));
}
