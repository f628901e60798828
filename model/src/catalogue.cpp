#include "lyncupdate/model/catalogue.hpp"

#include <algorithm>
#include <cctype>

namespace lyncupdate::model {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

constexpr std::array<Product, product_count> all_products{Product::lync2013, Product::sfb2015,
                                                          Product::sfb2019, Product::sfbse};

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view product_name(Product product) {
  switch (product) {
    case Product::lync2013:
      return "lync2013";
    case Product::sfb2015:
      return "sfb2015";
    case Product::sfb2019:
      return "sfb2019";
    case Product::sfbse:
      return "sfbse";
  }
  return "";
}

std::string_view product_title(Product product) {
  switch (product) {
    case Product::lync2013:
      return "Lync Server 2013";
    case Product::sfb2015:
      return "Skype for Business Server 2015";
    case Product::sfb2019:
      return "Skype for Business Server 2019";
    case Product::sfbse:
      return "Skype for Business Server Subscription Edition";
  }
  return "";
}

std::optional<Product> parse_product(std::string_view name) {
  for (const Product p : all_products) {
    if (product_name(p) == name) return p;
  }
  return std::nullopt;
}

std::string_view product_module(Product product) {
  // Lync Server 2013's Management Shell imports the module "Lync"; from Skype for Business
  // Server 2015 the module is "SkypeForBusiness" (docs/catalogue-native.md cites both).
  return product == Product::lync2013 ? "Lync" : "SkypeForBusiness";
}

std::string product_titles(Products products) {
  std::string out;
  for (const Product p : all_products) {
    if (!products.has(p)) continue;
    if (!out.empty()) out += ", ";
    out += product_title(p);
  }
  return out.empty() ? "no product" : out;
}

const Cmdlet* Catalogue::cmdlet(std::string_view name) const {
  for (const Cmdlet& c : cmdlets) {
    if (iequals(c.name, name)) return &c;
    if (std::ranges::any_of(c.aliases, [&](const std::string& a) { return iequals(a, name); })) {
      return &c;
    }
  }
  return nullptr;
}

const NativeProgram* Catalogue::program(std::string_view name) const {
  for (const NativeProgram& p : programs) {
    if (iequals(p.name, name)) return &p;
    // Windows finds "net" as "net.exe" and the other way round.
    if (istarts_with(name, p.name) && iequals(name.substr(p.name.size()), ".exe")) return &p;
    if (istarts_with(p.name, name) &&
        iequals(std::string_view(p.name).substr(name.size()), ".exe")) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace lyncupdate::model
