// The kafkasim command line: run, validate, partition. main() only calls cli::main.
#pragma once

namespace kafkasim::cli {

// Exit codes: 0 success, 1 runtime failure (e.g. results cannot be written), 2 bad input or usage.
int main(int argc, char** argv);

}  // namespace kafkasim::cli
