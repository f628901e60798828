#pragma once
/// \file
/// `lyncupdate calibrate`: step timing fitted to the journals of live runs.

#include <string>
#include <vector>

namespace lyncupdate::app {

/// Options of `calibrate`.
struct CalibrateOptions {
  std::vector<std::string> journals;  ///< journal files written by `live`
  std::string scenario;               ///< a file path or a shipped name; "" = print timing only
  std::string output;                 ///< write the result here (atomically); "" = stdout
  bool per_server = false;            ///< also fit each step on each server
  bool json = false;                  ///< print the `lyncupdate/calibration/1` document
};

/// Runs `calibrate`. Exit 0 written, 2 bad input (nothing written), 3 the file could not be
/// written.
int calibrate_command(const CalibrateOptions& options);

}  // namespace lyncupdate::app
