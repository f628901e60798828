#pragma once
/// \file
/// The catalogue of commands a runbook may run: the Lync Server / Skype for Business Server
/// cmdlets (generated from Microsoft's cmdlet reference), the Windows PowerShell cmdlets the
/// shipped probes use, and native programs (`net`, `iisreset`, the installers), each with the
/// address of its reference page. Read once per process by the loader; immutable after.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lyncupdate::model {

/// A product version a command may exist in.
enum class Product : std::uint8_t {
  lync2013,  ///< Lync Server 2013
  sfb2015,   ///< Skype for Business Server 2015
  sfb2019,   ///< Skype for Business Server 2019
  sfbse,     ///< Skype for Business Server Subscription Edition
};
inline constexpr std::size_t product_count = 4;

/// The catalogue's name of `product`, e.g. "lync2013".
std::string_view product_name(Product product);

/// What people call `product`, e.g. "Lync Server 2013".
std::string_view product_title(Product product);

/// The product called `name` ("lync2013", ...), if any.
std::optional<Product> parse_product(std::string_view name);

/// The module that holds the product's cmdlets, as a module-qualified name spells it:
/// `Lync` for Lync Server 2013, `SkypeForBusiness` from Skype for Business Server 2015.
std::string_view product_module(Product product);

/// A set of products.
class Products {
 public:
  constexpr Products() = default;
  /// Every product.
  static constexpr Products all() {
    Products p;
    p.bits_ = (1U << product_count) - 1;
    return p;
  }
  constexpr void add(Product product) { bits_ |= bit(product); }
  constexpr bool has(Product product) const { return (bits_ & bit(product)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr bool operator==(Products, Products) = default;

 private:
  static constexpr unsigned bit(Product product) { return 1U << static_cast<unsigned>(product); }
  unsigned bits_ = 0;
};

/// The titles of `products`, e.g. "Skype for Business Server 2015, Skype for Business Server
/// 2019"; "no product" when empty.
std::string product_titles(Products products);

/// One parameter of a cmdlet.
struct CmdletParameter {
  std::string name;                  ///< without the dash, as the reference spells it
  bool is_switch = false;            ///< a SwitchParameter: takes no value
  std::string type;                  ///< the reference's type name, e.g. "Fqdn"
  std::vector<std::string> aliases;  ///< other names PowerShell accepts
  Products products;                 ///< the products that have it
  std::vector<std::string> values;   ///< the values an enum takes; empty: not an enum
  /// Takes every positional argument left over (ValueFromRemainingArguments), as Write-Output's
  /// InputObject does.
  bool remaining_arguments = false;
  /// One of PowerShell's common parameters (about_CommonParameters), which every cmdlet has
  /// in every parameter set.
  bool common = false;
};

/// One parameter set of a cmdlet; indices into Cmdlet::parameters.
struct ParameterSet {
  std::string name;
  std::vector<std::size_t> parameters;
  std::vector<std::size_t> mandatory;
  /// (parameter, position) for the parameters that bind by position, in position order.
  std::vector<std::pair<std::size_t, int>> positional;
};

/// One PowerShell command (cmdlet or function).
struct Cmdlet {
  std::string name;                  ///< e.g. "Install-CsDatabase"
  std::string module;                ///< as the reference names it, e.g. "SkypeForBusiness"
  std::string page;                  ///< the reference page's address
  std::vector<std::string> aliases;  ///< command aliases, e.g. "echo" for Write-Output
  Products products;
  /// Its own parameters, then the common parameters (CmdletParameter::common).
  std::vector<CmdletParameter> parameters;
  std::vector<ParameterSet> sets;  ///< at least one
  /// A Lync Server / Skype for Business Server cmdlet, whose module is the product's
  /// (product_module), rather than a Windows PowerShell one.
  bool product_cmdlet = false;
};

/// One argument pattern of a native program: literal words (compared without regard to case)
/// and `<name>` for any one argument; a word may end in a pattern, as in `/timeout:<seconds>`.
using NativeForm = std::vector<std::string>;

/// A program run by file name, outside PowerShell's parameter binding.
struct NativeProgram {
  std::string name;  ///< e.g. "net", "LyncServerUpdateInstaller.exe"
  std::string page;  ///< the source of its forms
  Products products;
  /// The argument sequences it accepts, exactly; empty when `switches` says instead.
  std::vector<NativeForm> forms;
  /// Arguments it accepts in any order, each at most once (patterns as in NativeForm).
  std::vector<std::string> switches;
};

/// Where the generated part of the catalogue came from.
struct CatalogueSource {
  std::string repository;  ///< e.g. "MicrosoftDocs/office-docs-powershell"
  std::string commit;      ///< 40 hex digits
  std::string path;        ///< folder of the pages in that repository
};

/// Every command the checker knows.
struct Catalogue {
  CatalogueSource source;
  std::vector<Cmdlet> cmdlets;
  std::vector<NativeProgram> programs;

  /// The cmdlet called `name` or with that alias, compared without regard to case.
  const Cmdlet* cmdlet(std::string_view name) const;
  /// The native program called `name` (a file name such as "net" or "net.exe"), compared
  /// without regard to case.
  const NativeProgram* program(std::string_view name) const;
};

/// Whether `a` and `b` are equal without regard to ASCII case.
bool iequals(std::string_view a, std::string_view b);

/// Whether `text` starts with `prefix` without regard to ASCII case.
bool istarts_with(std::string_view text, std::string_view prefix);

}  // namespace lyncupdate::model
