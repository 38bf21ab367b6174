#include "web/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "web/template_engine.h"

namespace rt::web::charts {

namespace {

constexpr int kWidth = 640;
constexpr const char* kInk = "#1b1b1b";   // text and axes: 17:1 on white
constexpr const char* kGrid = "#d4d4d4";  // decoration only
constexpr double kCharWidth = 6.6;        // average width at 12px, for layout

// Okabe-Ito colours that keep >= 3:1 on white, each with its own dash
// pattern and marker, so no series depends on colour alone.
struct SeriesStyle {
  const char* colour;
  const char* dash;    // "" for a solid line
  const char* marker;  // circle, square, triangle, diamond
};
constexpr SeriesStyle kStyles[] = {
    {"#0072B2", "", "circle"},           // blue, 5.2:1
    {"#D55E00", "8 4", "square"},        // vermillion, 3.9:1
    {"#009E73", "2 4", "triangle"},      // bluish green, 3.4:1
    {"#6A3D9A", "10 4 2 4", "diamond"},  // purple, 7.6:1
};

// Strongly disagree … strongly agree, each >= 3:1 on white; the middle
// pair is hatched so that the five also differ without colour.
constexpr const char* kAnswerColours[] = {"#B35806", "#D6604D", "#767676", "#4393C3", "#2166AC"};
constexpr bool kHatched[] = {false, true, false, true, false};

std::string Esc(std::string_view s) {
  std::string out;
  AppendEscaped(s, &out);
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Int(int64_t v) { return std::to_string(v); }

std::string Percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", share * 100.0);
  return buf;
}

// "2 days 4 h", "3 h 20 min", "45 min", "under a minute".
std::string Duration(double seconds) {
  int64_t minutes = static_cast<int64_t>(std::llround(seconds / 60.0));
  if (minutes < 1) return "under a minute";
  int64_t days = minutes / (24 * 60);
  int64_t hours = (minutes / 60) % 24;
  int64_t mins = minutes % 60;
  std::string out;
  if (days > 0) {
    out = Int(days) + (days == 1 ? " day" : " days");
    if (hours > 0) out += " " + Int(hours) + " h";
    return out;
  }
  if (hours > 0) {
    out = Int(hours) + " h";
    if (mins > 0) out += " " + Int(mins) + " min";
    return out;
  }
  return Int(mins) + " min";
}

// The y axis: its top value and step, in the unit of the ticks.
struct Scale {
  double max = 1;   // in values
  double step = 1;  // in values
  double unit = 1;  // values per tick unit (3600 for hours)
  std::string suffix;
};

double NiceStep(double max, double min_step) {
  double raw = std::max(max / 5.0, min_step);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10 * mag;
}

Scale ScaleFor(double max, Format f) {
  Scale s;
  if (f == Format::kPercent) {
    s.max = 1;
    s.step = 0.25;
    return s;
  }
  if (f == Format::kDuration) {
    if (max < 2 * 3600.0) {
      s.unit = 60;
      s.suffix = " min";
    } else if (max < 72 * 3600.0) {
      s.unit = 3600;
      s.suffix = " h";
    } else {
      s.unit = 86400;
      s.suffix = " d";
    }
  }
  double top = max / s.unit;
  double step = NiceStep(top <= 0 ? 1 : top, 1);
  s.step = step * s.unit;
  s.max = std::max(1.0, std::ceil(top / step)) * step * s.unit;
  return s;
}

std::string TickText(double v, const Scale& s, Format f) {
  if (f == Format::kPercent) return Percent(v);
  double t = v / s.unit;
  char buf[32];
  if (std::fabs(t - std::round(t)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%.0f", t);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", t);
  }
  return buf + s.suffix;
}

void Marker(std::string& out, const char* shape, double x, double y, const char* colour) {
  if (std::string_view(shape) == "circle") {
    out += "<circle cx=\"" + Num(x) + "\" cy=\"" + Num(y) + "\" r=\"4\" fill=\"" + colour + "\"/>";
  } else if (std::string_view(shape) == "square") {
    out += "<rect x=\"" + Num(x - 4) + "\" y=\"" + Num(y - 4) +
           "\" width=\"8\" height=\"8\" fill=\"" + colour + "\"/>";
  } else if (std::string_view(shape) == "triangle") {
    out += "<polygon points=\"" + Num(x) + "," + Num(y - 5) + " " + Num(x + 5) + "," + Num(y + 4) +
           " " + Num(x - 5) + "," + Num(y + 4) + "\" fill=\"" + colour + "\"/>";
  } else {
    out += "<polygon points=\"" + Num(x) + "," + Num(y - 5) + " " + Num(x + 5) + "," + Num(y) +
           " " + Num(x) + "," + Num(y + 5) + " " + Num(x - 5) + "," + Num(y) + "\" fill=\"" +
           colour + "\"/>";
  }
}

std::string SvgOpen(const std::string& id, int height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 " +
         Int(kWidth) + " " + Int(height) + "\" role=\"img\" aria-labelledby=\"" + id +
         "-title\" aria-describedby=\"" + id + "-desc\">";
}

void TitleAndDesc(std::string& out, const std::string& id, const std::string& title,
                  const std::string& desc, int height) {
  out += "<title id=\"" + id + "-title\">" + Esc(title) + "</title>";
  out += "<desc id=\"" + id + "-desc\">" + Esc(desc) + "</desc>";
  out += "<rect width=\"" + Int(kWidth) + "\" height=\"" + Int(height) + "\" fill=\"#ffffff\"/>";
}

// Text in the SVG; `anchor` start | middle | end.
void Text(std::string& out, double x, double y, std::string_view text, const char* anchor,
          int size = 12) {
  out += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" font-size=\"" + Int(size) +
         "\" text-anchor=\"" + anchor + "\" fill=\"" + kInk + "\">" + Esc(text) + "</text>";
}

// The figure around a chart: its title, the SVG and the data table.
std::string Figure(const std::string& title, const std::string& svg, const std::string& table) {
  return "<figure class=\"chart\"><figcaption class=\"chart-title\">" + Esc(title) +
         "</figcaption><div class=\"chart-body\"><div class=\"chart-image\">" + svg +
         "</div><div class=\"chart-data table-scroll\" role=\"region\" tabindex=\"0\" "
         "aria-label=\"" +
         Esc(title) + ": table\">" + table + "</div></div></figure>";
}

// Breaks `text` into lines of at most `width` characters at spaces.
std::vector<std::string> Wrap(std::string_view text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t space = text.find(' ', start);
    std::string_view word = text.substr(
        start, space == std::string_view::npos ? std::string_view::npos : space - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string LineDescription(const LineChart& c) {
  std::string desc;
  for (const Series& s : c.series) {
    std::optional<size_t> first, last, top;
    for (size_t i = 0; i < s.values.size() && i < c.labels.size(); ++i) {
      if (!s.values[i]) continue;
      if (!first) first = i;
      last = i;
      if (!top || *s.values[i] > *s.values[*top]) top = i;
    }
    if (!desc.empty()) desc += " ";
    desc += s.name + ": ";
    if (!first) {
      desc += "no data.";
      continue;
    }
    desc += FormatValue(s.values[*first], c.format) + " in " + c.labels[*first].text;
    if (*last != *first) {
      desc += ", " + FormatValue(s.values[*last], c.format) + " in " + c.labels[*last].text;
    }
    desc +=
        "; highest " + FormatValue(s.values[*top], c.format) + " in " + c.labels[*top].text + ".";
  }
  if (c.series.empty()) desc = "No data.";
  return desc + " Every value is in the table beside the chart.";
}

}  // namespace

std::string FormatValue(std::optional<double> v, Format f) {
  if (!v) return "no data";
  switch (f) {
    case Format::kPercent:
      return Percent(*v);
    case Format::kDuration:
      return Duration(*v);
    case Format::kCount:
      break;
  }
  return Int(static_cast<int64_t>(std::llround(*v)));
}

std::string RenderLineChart(const LineChart& c) {
  const size_t n = c.labels.size();
  // Legend rows above the plot.
  constexpr double kLeft = 64, kRight = 16, kBottom = 48;
  std::vector<std::pair<double, int>> legend;  // x, row per series
  double lx = kLeft;
  int row = 0;
  for (const Series& s : c.series) {
    double w = 40 + kCharWidth * static_cast<double>(s.name.size()) + 20;
    if (lx > kLeft && lx + w > kWidth - kRight) {
      lx = kLeft;
      ++row;
    }
    legend.emplace_back(lx, row);
    lx += w;
  }
  const double top = 20 + 20.0 * (row + 1);
  const int height = 300 + 20 * row;
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = height - top - kBottom;
  double max = 0;
  for (const Series& s : c.series) {
    for (const auto& v : s.values) {
      if (v) max = std::max(max, *v);
    }
  }
  Scale scale = ScaleFor(max, c.format);
  auto x_at = [&](size_t i) {
    return n <= 1 ? kLeft + plot_w / 2 : kLeft + plot_w * static_cast<double>(i) / (n - 1);
  };
  auto y_at = [&](double v) { return top + plot_h * (1 - std::clamp(v / scale.max, 0.0, 1.0)); };

  std::string svg = SvgOpen(c.id, height);
  TitleAndDesc(svg, c.id, c.title, LineDescription(c), height);
  svg += "<g aria-hidden=\"true\">";
  // Grid lines and y ticks.
  for (double v = 0; v <= scale.max + scale.step / 2; v += scale.step) {
    double y = y_at(v);
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(y) + "\" x2=\"" + Num(kWidth - kRight) +
           "\" y2=\"" + Num(y) + "\" stroke=\"" + (v == 0 ? kInk : kGrid) + "\"/>";
    Text(svg, kLeft - 8, y + 4, TickText(v, scale, c.format), "end");
  }
  svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(top) + "\" x2=\"" + Num(kLeft) + "\" y2=\"" +
         Num(top + plot_h) + "\" stroke=\"" + kInk + "\"/>";
  // X labels: at most about 12, evenly spaced.
  const size_t every = std::max<size_t>(1, (n + 11) / 12);
  for (size_t i = 0; i < n; i += every) {
    double x = x_at(i);
    svg += "<line x1=\"" + Num(x) + "\" y1=\"" + Num(top + plot_h) + "\" x2=\"" + Num(x) +
           "\" y2=\"" + Num(top + plot_h + 5) + "\" stroke=\"" + kInk + "\"/>";
    Text(svg, x, top + plot_h + 19, c.labels[i].axis, "middle");
    if (!c.labels[i].axis_second.empty()) {
      Text(svg, x, top + plot_h + 34, c.labels[i].axis_second, "middle");
    }
  }
  // Series: lines broken at gaps, then markers on top.
  for (size_t k = 0; k < c.series.size(); ++k) {
    const Series& s = c.series[k];
    const SeriesStyle& st = kStyles[k % std::size(kStyles)];
    std::string dash = *st.dash ? std::string(" stroke-dasharray=\"") + st.dash + "\"" : "";
    std::string points;
    int in_run = 0;
    auto flush = [&] {
      if (in_run > 1) {
        svg += "<polyline fill=\"none\" stroke=\"" + std::string(st.colour) +
               "\" stroke-width=\"2.5\"" + dash + " points=\"" + points + "\"/>";
      }
      points.clear();
      in_run = 0;
    };
    for (size_t i = 0; i < n; ++i) {
      std::optional<double> v = i < s.values.size() ? s.values[i] : std::nullopt;
      if (!v) {
        flush();
        continue;
      }
      if (!points.empty()) points += ' ';
      points += Num(x_at(i)) + "," + Num(y_at(*v));
      ++in_run;
    }
    flush();
    for (size_t i = 0; i < n && i < s.values.size(); ++i) {
      if (s.values[i]) Marker(svg, st.marker, x_at(i), y_at(*s.values[i]), st.colour);
    }
    // Its legend entry: a sample of the line with its marker, then the name.
    auto [x, r] = legend[k];
    double y = 20 + 20.0 * r;
    svg += "<line x1=\"" + Num(x) + "\" y1=\"" + Num(y - 4) + "\" x2=\"" + Num(x + 32) +
           "\" y2=\"" + Num(y - 4) + "\" stroke=\"" + st.colour + "\" stroke-width=\"2.5\"" + dash +
           "/>";
    Marker(svg, st.marker, x + 16, y - 4, st.colour);
    Text(svg, x + 40, y, s.name, "start");
  }
  svg += "</g></svg>";

  std::string table = "<table class=\"table table--compact\"><caption>" + Esc(c.title) +
                      "</caption><thead><tr><th scope=\"col\">" + Esc(c.label_heading) + "</th>";
  for (const Series& s : c.series) table += "<th scope=\"col\">" + Esc(s.name) + "</th>";
  table += "</tr></thead><tbody>";
  for (size_t i = 0; i < n; ++i) {
    table += "<tr><th scope=\"row\">" + Esc(c.labels[i].text) + "</th>";
    for (const Series& s : c.series) {
      std::optional<double> v = i < s.values.size() ? s.values[i] : std::nullopt;
      table += "<td>" + Esc(FormatValue(v, c.format)) + "</td>";
    }
    table += "</tr>";
  }
  table += "</tbody></table>";
  return Figure(c.title, svg, table);
}

std::string RenderDivergingChart(const DivergingChart& c) {
  constexpr double kLabelX = 8, kBarLeft = 112, kBarRight = kWidth - 16;
  constexpr double kCentre = (kBarLeft + kBarRight) / 2, kHalf = (kBarRight - kBarLeft) / 2;
  constexpr double kBarHeight = 18, kBarGap = 6, kLineHeight = 16;
  // Legend: two rows of swatches, then the axis labels.
  std::string body;
  double y = 96;
  std::string desc;
  for (const DivergingRow& row : c.rows) {
    for (const std::string& line : Wrap(row.label, 90)) {
      y += kLineHeight;
      Text(body, kLabelX, y, line, "start", 13);
    }
    y += 6;
    for (const DivergingBar& bar : row.bars) {
      Text(body, kBarLeft - 8, y + 13, bar.name, "end");
      if (!desc.empty()) desc += " ";
      desc += row.label + ", " + bar.name + ": ";
      int64_t total = 0;
      for (int64_t k : bar.counts) total += k;
      if (bar.suppressed || total == 0) {
        Text(body, kBarLeft + 4, y + 13, bar.suppressed ? c.suppressed_text : "No answers yet",
             "start");
        desc += bar.suppressed ? c.suppressed_text + "." : "no answers yet.";
      } else {
        auto share = [&](int k) { return static_cast<double>(bar.counts[k]) / total; };
        // From the centre outwards: half the neutral answers on each side.
        double left = kCentre - kHalf * (share(0) + share(1) + share(2) / 2);
        double x = left;
        for (int k = 0; k < 5; ++k) {
          double w = kHalf * share(k);
          if (w > 0) {
            std::string fill = kHatched[k] ? "url(#" + c.id + "-hatch-" + Int(k) + ")"
                                           : std::string(kAnswerColours[k]);
            body += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) +
                    "\" height=\"" + Num(kBarHeight) + "\" fill=\"" + fill +
                    "\" stroke=\"#ffffff\" stroke-width=\"1\"/>";
          }
          x += w;
        }
        desc += Percent(share(3) + share(4)) + " agree, " + Percent(share(2)) + " neither, " +
                Percent(share(0) + share(1)) + " disagree (" + Int(total) +
                (total == 1 ? " answer)." : " answers).");
      }
      y += kBarHeight + kBarGap;
    }
    y += 8;
  }
  if (c.rows.empty()) desc = "No answers yet.";
  const int height = static_cast<int>(y) + 8;

  std::string svg = SvgOpen(c.id, height);
  TitleAndDesc(svg, c.id, c.title, desc + " Every count is in the table beside the chart.", height);
  svg += "<defs>";
  for (int k = 0; k < 5; ++k) {
    if (!kHatched[k]) continue;
    svg += "<pattern id=\"" + c.id + "-hatch-" + Int(k) +
           "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
           "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"" +
           kAnswerColours[k] +
           "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" "
           "stroke-width=\"2\"/></pattern>";
  }
  svg += "</defs><g aria-hidden=\"true\">";
  // Legend: the five answers in scale order, on two rows.
  for (int k = 0; k < 5; ++k) {
    double lx = kLabelX + (k < 3 ? k : k - 3) * 210.0;
    double ly = k < 3 ? 20 : 42;
    std::string fill =
        kHatched[k] ? "url(#" + c.id + "-hatch-" + Int(k) + ")" : std::string(kAnswerColours[k]);
    svg += "<rect x=\"" + Num(lx) + "\" y=\"" + Num(ly - 11) +
           "\" width=\"14\" height=\"14\" fill=\"" + fill + "\"/>";
    Text(svg, lx + 20, ly, c.scale[k], "start");
  }
  // Axis: -100% … 100% around the neutral centre.
  for (int t = -2; t <= 2; ++t) {
    double x = kCentre + kHalf * t / 2.0;
    Text(svg, x, 72, t == 0 ? "0" : Percent(std::abs(t) / 2.0), "middle");
    svg += "<line x1=\"" + Num(x) + "\" y1=\"78\" x2=\"" + Num(x) + "\" y2=\"" + Num(height - 8) +
           "\" stroke=\"" + (t == 0 ? kInk : kGrid) + "\"/>";
  }
  Text(svg, kCentre - 8, 90, "disagree", "end", 11);
  Text(svg, kCentre + 8, 90, "agree", "start", 11);
  svg += body + "</g></svg>";

  std::string table = "<table class=\"table table--compact\"><caption>" + Esc(c.title) +
                      "</caption><thead><tr><th scope=\"col\">Statement</th>"
                      "<th scope=\"col\">Check-in</th>";
  for (const std::string& s : c.scale) table += "<th scope=\"col\">" + Esc(s) + "</th>";
  table += "<th scope=\"col\">Answers</th></tr></thead><tbody>";
  for (const DivergingRow& row : c.rows) {
    for (const DivergingBar& bar : row.bars) {
      table += "<tr><th scope=\"row\">" + Esc(row.label) + "</th><td>" + Esc(bar.name) + "</td>";
      if (bar.suppressed) {
        table += "<td colspan=\"6\">" + Esc(c.suppressed_text) + "</td></tr>";
        continue;
      }
      int64_t total = 0;
      for (int64_t k : bar.counts) total += k;
      for (int64_t k : bar.counts) {
        table += "<td>" + Int(k) +
                 (total > 0 ? " (" + Percent(static_cast<double>(k) / total) + ")" : "") + "</td>";
      }
      table += "<td>" + Int(total) + "</td></tr>";
    }
  }
  table += "</tbody></table>";
  return Figure(c.title, svg, table);
}

}  // namespace rt::web::charts
