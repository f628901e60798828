// Reading the topology document with pugixml. pugixml does not resolve namespaces, so the
// walk below keeps the prefix bindings in scope (a stack of xmlns declarations) and compares
// each element's namespace URI and local name, as an XML namespace-aware reader would.

#include "lyncupdate/importer/topology_xml.hpp"

#include <array>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <pugixml.hpp>

namespace lyncupdate::importer {
namespace {

using namespace std::string_view_literals;

// The URIs under which the topology's own elements are found.
bool topology_uri(std::string_view uri) {
  return uri == topology_namespace || uri == writable_topology_namespace;
}

// An element's name resolved against the declarations in scope.
struct QualifiedName {
  std::string_view uri;
  std::string_view local;
};

class NamespaceScope {
 public:
  // Pushes the element's declarations; returns how many to pop afterwards.
  std::size_t enter(const pugi::xml_node& element) {
    std::size_t pushed = 0;
    for (const pugi::xml_attribute& attribute : element.attributes()) {
      const std::string_view name = attribute.name();
      if (name == "xmlns") {
        bindings_.emplace_back(""sv, attribute.value());
        ++pushed;
      } else if (name.starts_with("xmlns:")) {
        bindings_.emplace_back(name.substr(6), attribute.value());
        ++pushed;
      }
    }
    return pushed;
  }
  void leave(std::size_t pushed) { bindings_.resize(bindings_.size() - pushed); }

  // Unbound prefixes resolve to nothing: such an element is in no documented namespace.
  QualifiedName name_of(const pugi::xml_node& element) const {
    const std::string_view name = element.name();
    const auto colon = name.find(':');
    const std::string_view prefix = colon == std::string_view::npos ? ""sv : name.substr(0, colon);
    const std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
    for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it) {
      if (it->first == prefix) return {it->second, local};
    }
    return {""sv, local};
  }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> bindings_;
};

class TopologyWalker {
 public:
  TopologyWalker(std::string_view text, std::string_view file) : lines_(text), file_(file) {}

  std::expected<PublishedTopology, std::vector<loader::Diagnostic>> read(
      const pugi::xml_document& document) {
    const pugi::xml_node root = document.document_element();
    const std::size_t pushed = scope_.enter(root);
    const QualifiedName name = scope_.name_of(root);
    if (name.local == "Topology" && name.uri == topology_namespace) {
      walk_children(root, {});
    } else if (name.local == "TopologyBuilder" && name.uri == topology_builder_namespace) {
      read_builder(root);
    } else {
      report(root, fmt::format(
                       "expected the root element Topology in namespace {} "
                       "(Get-CsTopology -AsXml) or TopologyBuilder in namespace {} (a "
                       "Topology Builder .tbxml file), got {} in {}",
                       topology_namespace, topology_builder_namespace, name.local,
                       name.uri.empty() ? "no namespace" : fmt::format("namespace {}", name.uri)));
    }
    scope_.leave(pushed);
    check_unique_ids();
    if (!problems_.empty()) return std::unexpected(std::move(problems_));
    return std::move(topology_);
  }

 private:
  // The context of the walk: the enclosing site, cluster and service.
  struct Context {
    std::string site;
    std::optional<std::size_t> cluster;
    std::optional<std::size_t> service;
  };

  void read_builder(const pugi::xml_node& root) {
    const auto child = [&](const pugi::xml_node& parent, std::string_view local,
                           std::string_view uri) -> pugi::xml_node {
      for (const pugi::xml_node& node : parent.children()) {
        if (node.type() != pugi::node_element) continue;
        const std::size_t pushed = scope_.enter(node);
        const QualifiedName name = scope_.name_of(node);
        scope_.leave(pushed);
        if (name.local == local && name.uri == uri) return node;
      }
      return {};
    };
    const pugi::xml_node fresh = child(root, "NewTopology", topology_builder_namespace);
    if (!fresh) {
      report(root, fmt::format("expected a NewTopology element in namespace {} under "
                               "TopologyBuilder",
                               topology_builder_namespace));
      return;
    }
    const std::size_t outer = scope_.enter(fresh);
    const pugi::xml_node partial = child(fresh, "PartialTopology", writable_topology_namespace);
    if (!partial) {
      report(fresh, fmt::format("expected a PartialTopology element in namespace {} under "
                                "NewTopology",
                                writable_topology_namespace));
    } else {
      const std::size_t inner = scope_.enter(partial);
      walk_children(partial, {});
      scope_.leave(inner);
    }
    scope_.leave(outer);
  }

  void walk_children(const pugi::xml_node& parent, const Context& context) {
    for (const pugi::xml_node& node : parent.children()) {
      if (node.type() != pugi::node_element) continue;
      const std::size_t pushed = scope_.enter(node);
      visit(node, context);
      scope_.leave(pushed);
    }
  }

  void visit(const pugi::xml_node& node, const Context& context) {
    const QualifiedName name = scope_.name_of(node);
    if (!topology_uri(name.uri)) return;  // role settings, ports, other schemas: not read
    Context inner = context;
    if (name.local == "CentralSite") {
      inner.site = site_name(node);
    } else if (name.local == "Cluster") {
      inner.cluster = read_cluster(node, context);
    } else if (name.local == "Machine") {
      read_machine(node, context);
      return;
    } else if (name.local == "SqlInstance") {
      read_sql_instance(node, context);
      return;
    } else if (name.local == "Service") {
      inner.service = read_service(node);
    } else if (name.local == "Dependency") {
      read_dependency(node, context);
      return;
    }
    walk_children(node, inner);
  }

  // A site's `Name` child (in a topology namespace), else its `SiteId`.
  std::string site_name(const pugi::xml_node& site) {
    for (const pugi::xml_node& node : site.children()) {
      if (node.type() != pugi::node_element) continue;
      const std::size_t pushed = scope_.enter(node);
      const QualifiedName name = scope_.name_of(node);
      scope_.leave(pushed);
      if (name.local == "Name" && topology_uri(name.uri)) return node.text().as_string();
    }
    if (const pugi::xml_attribute id = site.attribute("SiteId")) {
      return fmt::format("site {}", id.value());
    }
    return {};
  }

  std::size_t read_cluster(const pugi::xml_node& node, const Context& context) {
    PublishedCluster cluster;
    cluster.fqdn = node.attribute("Fqdn").value();
    cluster.unique_id = required(node, "UniqueId", "a cluster");
    cluster.single_machine = node.attribute("IsSingleMachineOnly").as_bool();
    cluster.site = context.site;
    cluster.at = position(node);
    topology_.clusters.push_back(std::move(cluster));
    return topology_.clusters.size() - 1;
  }

  void read_machine(const pugi::xml_node& node, const Context& context) {
    if (!context.cluster) {
      report(node, "expected a Machine inside a Cluster (Clusters/Cluster/Machines/Machine)");
      return;
    }
    PublishedMachine machine;
    machine.fqdn = node.attribute("Fqdn").value();
    machine.upgrade_domain = node.attribute("UpgradeDomain").value();
    machine.at = position(node);
    topology_.clusters[*context.cluster].machines.push_back(std::move(machine));
  }

  void read_sql_instance(const pugi::xml_node& node, const Context& context) {
    if (!context.cluster) {
      report(node,
             "expected a SqlInstance inside a Cluster (Clusters/Cluster/SqlInstances/SqlInstance)");
      return;
    }
    PublishedSqlInstance instance;
    instance.unique_id = required(node, "UniqueId", "a SQL instance");
    instance.name = node.attribute("Name").value();
    instance.cluster = *context.cluster;
    instance.always_on_primary = node.attribute("AlwaysOnPrimaryNodeFqdn").value();
    instance.at = position(node);
    topology_.sql_instances.push_back(std::move(instance));
  }

  std::size_t read_service(const pugi::xml_node& node) {
    PublishedService service;
    service.role = required(node, "RoleName", "a service");
    service.unique_id = required(node, "UniqueId", "a service");
    service.installed_on = required(node, "InstalledOn", "a service");
    service.mirror_on = node.attribute("MirrorInstalledOn").value();
    service.witness_on = node.attribute("WitnessInstalledOn").value();
    service.at = position(node);
    topology_.services.push_back(std::move(service));
    return topology_.services.size() - 1;
  }

  void read_dependency(const pugi::xml_node& node, const Context& context) {
    if (!context.service) {
      report(node, "expected a Dependency inside a Service (Service/DependsOn/Dependency)");
      return;
    }
    PublishedDependency dependency;
    dependency.service = required(node, "ServiceUniqueId", "a dependency");
    dependency.usage = node.attribute("Usage").value();
    dependency.at = position(node);
    topology_.services[*context.service].dependencies.push_back(std::move(dependency));
  }

  std::string required(const pugi::xml_node& node, const char* attribute, std::string_view what) {
    const pugi::xml_attribute found = node.attribute(attribute);
    if (!found || std::string_view(found.value()).empty()) {
      report(node, fmt::format("expected {} on {} ({})", attribute, what, node.name()));
      return {};
    }
    return found.value();
  }

  // A UniqueId names one cluster, SQL instance or service: InstalledOn and dependencies
  // refer to them by it.
  void check_unique_ids() {
    std::map<std::string, Position, std::less<>> first;
    const auto claim = [&](const std::string& id, Position at) {
      if (id.empty()) return;
      const auto [it, fresh] = first.emplace(id, at);
      if (!fresh) {
        report_at(at, fmt::format("UniqueId \"{}\" is already used at line {}; expected every "
                                  "cluster, SQL instance and service to have its own",
                                  id, it->second.line));
      }
    };
    for (const auto& cluster : topology_.clusters) claim(cluster.unique_id, cluster.at);
    for (const auto& instance : topology_.sql_instances) claim(instance.unique_id, instance.at);
    for (const auto& service : topology_.services) claim(service.unique_id, service.at);
  }

  // pugixml gives an element's offset at its name; the message points at its '<'.
  Position position(const pugi::xml_node& node) const {
    const auto offset = static_cast<std::size_t>(node.offset_debug());
    return lines_.at(offset > 0 ? offset - 1 : 0);
  }

  void report(const pugi::xml_node& node, std::string message) {
    report_at(position(node), std::move(message));
  }

  void report_at(Position at, std::string message) {
    problems_.push_back(problem_at(file_, at, std::move(message)));
  }

  LineIndex lines_;
  std::string_view file_;
  NamespaceScope scope_;
  PublishedTopology topology_;
  std::vector<loader::Diagnostic> problems_;
};

}  // namespace

std::expected<PublishedTopology, std::vector<loader::Diagnostic>> read_topology_xml(
    std::string_view bytes, std::string_view file) {
  const std::string text = utf8_text(bytes);
  pugi::xml_document document;
  const pugi::xml_parse_result parsed =
      document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    const Position at = LineIndex(text).at(static_cast<std::size_t>(parsed.offset));
    return std::unexpected(std::vector<loader::Diagnostic>{
        problem_at(file, at, fmt::format("malformed XML: {}", parsed.description()))});
  }
  return TopologyWalker(text, file).read(document);
}

}  // namespace lyncupdate::importer
