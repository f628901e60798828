// The CSV dialect of Export-Csv (RFC 4180 with CRLF, every field quoted; quoted fields may
// hold commas, doubled quotes and line breaks), read record by record.

#include "lyncupdate/importer/users_csv.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lyncupdate/importer/text.hpp"
#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::importer {
namespace {

struct Record {
  std::vector<std::string> fields;
  std::size_t offset = 0;  // of its first byte
};

class CsvReader {
 public:
  CsvReader(std::string_view text, std::string_view file)
      : text_(text), lines_(text), file_(file) {}

  // The next record, or nothing at the end of the text. A malformed record is reported and
  // skipped.
  std::optional<Record> next() {
    while (pos_ < text_.size()) {
      Record record;
      record.offset = pos_;
      if (read_record(record)) return record;
    }
    return std::nullopt;
  }

  void report(std::size_t offset, std::string message) {
    problems_.push_back(problem_at(file_, lines_.at(offset), std::move(message)));
  }

  std::vector<loader::Diagnostic>& problems() { return problems_; }

 private:
  bool read_record(Record& record) {
    std::string field;
    bool quoted_field = false;
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n' || text_[pos_] == '\r') {
        record.fields.push_back(std::move(field));
        skip_line_end();
        return true;
      }
      const char c = text_[pos_];
      if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        quoted_field = false;
        ++pos_;
      } else if (c == '"' && field.empty() && !quoted_field) {
        const std::size_t opened = pos_;
        ++pos_;
        if (!read_quoted(field)) {
          report(opened, "unterminated quoted field; expected a closing \"");
          pos_ = text_.size();
          return false;
        }
        quoted_field = true;
      } else {
        field += c;
        ++pos_;
      }
    }
  }

  bool read_quoted(std::string& field) {
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c != '"') {
        field += c;
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        field += '"';
        ++pos_;
      } else {
        return true;
      }
    }
    return false;
  }

  void skip_line_end() {
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
  }

  std::string_view text_;
  LineIndex lines_;
  std::string_view file_;
  std::size_t pos_ = 0;
  std::vector<loader::Diagnostic> problems_;
};

bool same_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<std::size_t> column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (same_name(header[i], name)) return i;
  }
  return std::nullopt;
}

}  // namespace

std::expected<UserCounts, std::vector<loader::Diagnostic>> read_users_csv(std::string_view bytes,
                                                                          std::string_view file) {
  const std::string text = utf8_text(bytes);
  CsvReader reader(text, file);
  std::optional<Record> header = reader.next();
  // Windows PowerShell 5.1 writes the object's type first, unless -NoTypeInformation.
  if (header && header->fields.size() == 1 && header->fields[0].starts_with("#TYPE")) {
    header = reader.next();
  }
  if (!header) {
    reader.report(0,
                  "expected a header row with the columns SipAddress and RegistrarPool "
                  "(Get-CsUser | Select-Object SipAddress,RegistrarPool | Export-Csv)");
    return std::unexpected(std::move(reader.problems()));
  }
  const auto sip = column(header->fields, "SipAddress");
  const auto pool = column(header->fields, "RegistrarPool");
  if (!sip || !pool) {
    reader.report(header->offset,
                  fmt::format("expected the columns SipAddress and RegistrarPool in the header, "
                              "got \"{}\"",
                              fmt::join(header->fields, "\",\"")));
    return std::unexpected(std::move(reader.problems()));
  }
  UserCounts counts;
  while (auto record = reader.next()) {
    if (record->fields.size() == 1 && record->fields[0].empty()) continue;  // a blank line
    if (record->fields.size() != header->fields.size()) {
      reader.report(record->offset, fmt::format("expected {} fields as in the header, got {}",
                                                header->fields.size(), record->fields.size()));
      continue;
    }
    ++counts.total;
    const std::string& name = record->fields[*pool];
    if (name.empty()) {
      ++counts.without_pool;
      continue;
    }
    const std::string key = model::fqdn_key(name);
    ++counts.by_pool[key];
    counts.spelling.emplace(key, name);
  }
  if (!reader.problems().empty()) return std::unexpected(std::move(reader.problems()));
  return counts;
}

}  // namespace lyncupdate::importer
