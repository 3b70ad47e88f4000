// kafkasim command-line entry point: everything lives in the library (cli/).
#include "cli/cli.h"

int main(int argc, char** argv) { return kafkasim::cli::main(argc, argv); }
