#pragma once
// `dfopt verify --run`: starting a built image with docker or podman,
// waiting until it answers or stops, probing it, and removing the container.
#include <optional>
#include <string>
#include <vector>

#include "cli/builders.h"
#include "verify/image_facts.h"
#include "verify/run_check.h"

namespace dfopt::cli {

struct ContainerRunOptions {
  bool run = false;
  std::vector<std::string> env;      // KEY=VALUE
  std::vector<std::string> publish;  // as `docker run -p`; none: the EXPOSEd TCP ports on loopback
  std::string probePath = "/";
  std::string probeCommand;    // run with `sh -c` inside the container; empty: none
  double timeoutSeconds = 60;  // to wait for the ports to answer
  double settleSeconds = 3;    // to wait, then, before checking it still runs
};

// The program that runs the images a builder built: docker for docker,
// podman for podman and for buildah (which shares podman's image store).
// Prints why and returns nothing when there is none.
std::optional<Builder> chooseRunner(const Builder& builder);

// Runs the image `tag` as the container `name`, probes it and removes it (on
// SIGINT/SIGTERM/SIGHUP too: see cli/signal_cleanup.h).
verify::RunOutcome runAndProbe(const Builder& runner, const std::string& tag, const std::string& name,
                               const verify::ImageFacts& facts, const ContainerRunOptions& options);

}  // namespace dfopt::cli
