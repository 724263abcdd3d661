#include <algorithm>
#include <array>

#include "engine/transform.h"

namespace dfopt::engine {
namespace {

// The pipeline's order: each step sees what the steps before it wrote.
constexpr std::array<std::string_view, 5> kOrder = {"add-to-copy", "deps-first", "multi-stage", "non-root",
                                                    "dockerignore"};

std::vector<std::unique_ptr<Transform>>& registry() {
  static std::vector<std::unique_ptr<Transform>> transforms;
  return transforms;
}

size_t rank(std::string_view name) {
  return static_cast<size_t>(std::find(kOrder.begin(), kOrder.end(), name) - kOrder.begin());
}

}  // namespace

bool registerTransform(std::unique_ptr<Transform> transform) {
  registry().push_back(std::move(transform));
  return true;
}

std::vector<const Transform*> registeredTransforms() {
  std::vector<const Transform*> out;
  for (const auto& t : registry()) out.push_back(t.get());
  std::stable_sort(out.begin(), out.end(),
                   [](const Transform* a, const Transform* b) { return rank(a->name()) < rank(b->name()); });
  return out;
}

const Transform* findTransform(std::string_view name) {
  for (const auto& t : registry()) {
    if (t->name() == name) return t.get();
  }
  return nullptr;
}

}  // namespace dfopt::engine
