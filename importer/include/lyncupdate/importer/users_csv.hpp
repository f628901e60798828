#pragma once
/// \file
/// Users per registrar pool from the CSV that
/// `Get-CsUser | Select-Object SipAddress,RegistrarPool | Export-Csv -Path users.csv` writes:
/// in Windows PowerShell 5.1 a `#TYPE ...` line first (unless -NoTypeInformation), a header
/// row, every field in double quotes (a quote inside doubled), CRLF line ends; UTF-8 with or
/// without a byte-order mark, or UTF-16 with one (-Encoding Unicode).

#include <cstdint>
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/loader/loader.hpp"

namespace lyncupdate::importer {

/// How many users each registrar pool homes, as the file says.
struct UserCounts {
  /// Users per pool, by model::fqdn_key of `RegistrarPool`.
  std::map<std::string, std::int64_t> by_pool;
  /// The pool's FQDN as the file first spells it, by the same key.
  std::map<std::string, std::string> spelling;
  std::int64_t without_pool = 0;  ///< rows with an empty `RegistrarPool`
  std::int64_t total = 0;         ///< data rows
};

/// Reads the CSV. Errors, all of them, as `file:line:col: error: ...`: no header, a header
/// without the SipAddress or RegistrarPool column, an unterminated quote, a row with another
/// number of fields than the header.
std::expected<UserCounts, std::vector<loader::Diagnostic>> read_users_csv(std::string_view bytes,
                                                                          std::string_view file);

}  // namespace lyncupdate::importer
