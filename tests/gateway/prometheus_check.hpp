#pragma once

// A strict reader of the Prometheus text exposition format (0.0.4), for
// tests: every line is a # HELP, a # TYPE or a sample of a declared family;
// a family's samples are contiguous and follow its # TYPE.

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tickflow::test {

struct prom_sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct prom_text {
  std::map<std::string, std::string> types; ///< family -> type
  std::vector<prom_sample> samples;
  std::string error; ///< the first problem, "" when the text is valid

  /// Samples named `name` whose labels include `with`.
  std::vector<prom_sample> find(const std::string& name,
                                const std::map<std::string, std::string>& with = {}) const {
    std::vector<prom_sample> out;
    for (auto& s : samples) {
      if (s.name != name)
        continue;
      bool ok = true;
      for (auto& [k, v] : with) {
        auto it = s.labels.find(k);
        ok = ok && it != s.labels.end() && it->second == v;
      }
      if (ok)
        out.push_back(s);
    }
    return out;
  }
};

inline bool prom_name_ok(const std::string& n) {
  if (n.empty() || (n[0] >= '0' && n[0] <= '9'))
    return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == ':'))
      return false;
  return true;
}

inline prom_text parse_prometheus(const std::string& text) {
  prom_text out;
  std::set<std::string> closed; // families whose samples ended
  std::string current;          // family of the previous sample
  size_t pos = 0;
  int line_no = 0;
  auto fail = [&](const std::string& why) {
    if (out.error.empty())
      out.error = "line " + std::to_string(line_no) + ": " + why;
  };
  if (!text.empty() && text.back() != '\n')
    fail("text must end with a newline");
  while (pos < text.size() && out.error.empty()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos)
      end = text.size();
    auto line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty())
      continue;
    if (line[0] == '#') {
      if (line.rfind("# HELP ", 0) == 0)
        continue;
      if (line.rfind("# TYPE ", 0) != 0) {
        fail("unknown comment");
        continue;
      }
      auto rest = line.substr(7);
      auto sp = rest.find(' ');
      auto name = rest.substr(0, sp);
      auto type = sp == std::string::npos ? "" : rest.substr(sp + 1);
      if (!prom_name_ok(name))
        fail("bad family name " + name);
      if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary"
          && type != "untyped")
        fail("bad type " + type);
      if (out.types.count(name))
        fail("second # TYPE for " + name);
      out.types[name] = type;
      continue;
    }
    prom_sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ')
      ++i;
    s.name = line.substr(0, i);
    if (!prom_name_ok(s.name))
      fail("bad sample name " + s.name);
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        auto eq = line.find('=', i);
        if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
          fail("bad label");
          break;
        }
        auto key = line.substr(i, eq - i);
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) {
            ++j;
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) {
          fail("unterminated label value");
          break;
        }
        if (!prom_name_ok(key) || s.labels.count(key))
          fail("bad or repeated label " + key);
        s.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',')
          ++i;
      }
      if (i >= line.size()) {
        fail("unterminated labels");
        continue;
      }
      ++i; // '}'
    }
    if (i >= line.size() || line[i] != ' ') {
      fail("missing value");
      continue;
    }
    auto value = line.substr(i + 1);
    if (value == "+Inf")
      s.value = 1e308 * 10;
    else if (value == "-Inf")
      s.value = -1e308 * 10;
    else if (value == "NaN")
      s.value = 0;
    else {
      char* stop = nullptr;
      s.value = std::strtod(value.c_str(), &stop);
      if (value.empty() || *stop != '\0')
        fail("bad value " + value);
    }
    // The family this sample belongs to.
    std::string family = s.name;
    if (!out.types.count(family))
      for (auto suffix : {"_bucket", "_sum", "_count"}) {
        std::string sfx = suffix;
        if (family.size() > sfx.size()
            && family.compare(family.size() - sfx.size(), sfx.size(), sfx) == 0) {
          auto base = family.substr(0, family.size() - sfx.size());
          if (out.types.count(base) && out.types[base] == "histogram") {
            family = base;
            break;
          }
        }
      }
    if (!out.types.count(family))
      fail("sample " + s.name + " before its # TYPE");
    if (family != current) {
      if (closed.count(family))
        fail("samples of " + family + " are not contiguous");
      if (!current.empty())
        closed.insert(current);
      current = family;
    }
    out.samples.push_back(std::move(s));
  }
  return out;
}

} // namespace tickflow::test
