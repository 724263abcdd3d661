#pragma once
// Commands that undo what a run made (containers, images) and temporary
// files to remove, run and removed also when
// SIGINT, SIGTERM or SIGHUP ends dfopt: those signals are blocked in every
// thread and a thread of their own waits for them, runs the commands still
// registered, and then lets the signal end the process.
#include <string>
#include <vector>

namespace dfopt::cli {

// Starts the waiting thread; the first call only. Call it before starting
// other threads (they inherit the blocked signals).
void installSignalCleanup();

// Registers `argv` to run if a signal arrives; returns its id for
// forgetCleanup. Registering waits while a signal's cleanup runs.
int onSignal(std::vector<std::string> argv);
// Creates a file from a mkstemp pattern (which receives its name) that is
// removed if a signal arrives before forgetCleanup(id); returns its
// descriptor, or -1 with errno set.
int createTemporaryFile(std::string& pattern, int& id);
// The command is no longer needed (the caller ran it, or its object is gone).
void forgetCleanup(int id);

}  // namespace dfopt::cli
