//! SVG charts: the one vocabulary the HTML pages draw with. A chart opens an
//! [`Svg`] (its class, its viewBox, and a title and description for screen
//! readers), adds marks (`rect`, `line`, `text`, `circle`, `polyline`,
//! `path`) whose attributes are written in the order the chart gives them,
//! and closes it. Every text and attribute value is escaped here, every
//! number is written by one rule ([`Num`]), and positions are placed by a
//! linear [`Scale`]. The CSS that styles the marks stays with the pages.

use std::fmt::Write as _;

use crate::text::xml_escape as esc;

/// A number in an attribute, written by one rule for its kind: a position
/// computed on a scale (`f64`) with one decimal (`190.0`), a size laid out
/// in whole pixels (`u32`, or a literal `i32`) whole (`22`).
pub(crate) trait Num: Copy {
    /// Appends the number to `out`.
    fn put(self, out: &mut String);
}

impl Num for f64 {
    fn put(self, out: &mut String) {
        let _ = write!(out, "{self:.1}");
    }
}

impl Num for u32 {
    fn put(self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

/// A literal such as the `22` of `size(width, 22)`.
impl Num for i32 {
    fn put(self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

/// A linear map from values (the domain) to pixels (the range).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl Scale {
    /// `domain.0` lands on `range.0` and `domain.1` on `range.1`; either end
    /// may be the larger, so a y axis with its highest value at the top is
    /// `Scale::new((high, low), (top, bottom))`.
    pub(crate) fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Self { domain, range }
    }

    /// Where `v` lands; the middle of the range when the domain is a single
    /// value.
    pub(crate) fn at(&self, v: f64) -> f64 {
        let ((d0, d1), (r0, r1)) = (self.domain, self.range);
        if d1 == d0 {
            r0 + (r1 - r0) / 2.0
        } else {
            r0 + (v - d0) / (d1 - d0) * (r1 - r0)
        }
    }

    /// Where `v` lands, to the nearest whole pixel (0 at the least).
    pub(crate) fn px(&self, v: f64) -> u32 {
        self.at(v).round() as u32
    }
}

/// A chart's `<svg>` element before it is opened.
#[derive(Debug)]
#[must_use = "a frame draws nothing until it is opened"]
pub(crate) struct Frame<'a> {
    class: &'a str,
    data: Option<(&'a str, &'a str)>,
    width: u32,
    height: u32,
    no_wider: bool,
}

impl<'a> Frame<'a> {
    /// A `data-NAME="VALUE"` attribute after the class, by which tests and
    /// readers find the chart.
    pub(crate) fn data(self, name: &'a str, value: &'a str) -> Self {
        Self {
            data: Some((name, value)),
            ..self
        }
    }

    /// Never drawn wider than its viewBox (`style="max-width: …px"`);
    /// otherwise the chart fills its column.
    pub(crate) fn no_wider(self) -> Self {
        Self {
            no_wider: true,
            ..self
        }
    }

    /// Writes the `<svg>` tag, labelled for screen readers by a `<title>`
    /// and, when given, a `<desc>`, their ids made from `id`.
    pub(crate) fn open(self, id: &str, title: &str, desc: Option<&str>) -> Svg {
        let mut out = String::from("<svg");
        attr(&mut out, "class", self.class);
        if let Some((name, value)) = self.data {
            attr(&mut out, &format!("data-{name}"), value);
        }
        attr(&mut out, "role", "img");
        let labels = match desc {
            Some(_) => format!("{id}-title {id}-desc"),
            None => format!("{id}-title"),
        };
        attr(&mut out, "aria-labelledby", &labels);
        let _ = write!(
            out,
            " viewBox=\"0 0 {} {}\" width=\"100%\"",
            self.width, self.height
        );
        if self.no_wider {
            let _ = write!(out, " style=\"max-width: {}px\"", self.width);
        }
        out.push_str(" xmlns=\"http://www.w3.org/2000/svg\">\n");
        let _ = writeln!(
            out,
            "<title id=\"{}-title\">{}</title>",
            esc(id),
            esc(title)
        );
        if let Some(desc) = desc {
            let _ = writeln!(out, "<desc id=\"{}-desc\">{}</desc>", esc(id), esc(desc));
        }
        Svg { out }
    }
}

/// A chart being drawn, one mark a line; [`Svg::close`] gives its text.
#[derive(Debug)]
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// A chart of class `class` drawn in a `width` × `height` viewBox.
    pub(crate) fn chart(class: &str, width: u32, height: u32) -> Frame<'_> {
        Frame {
            class,
            data: None,
            width,
            height,
            no_wider: false,
        }
    }

    /// A rectangle: a bar, a band, a background.
    pub(crate) fn rect(&mut self) -> Mark<'_> {
        self.mark("rect")
    }

    /// A straight line: an axis, a grid line.
    pub(crate) fn line(&mut self) -> Mark<'_> {
        self.mark("line")
    }

    /// A label.
    pub(crate) fn text(&mut self) -> Mark<'_> {
        self.mark("text")
    }

    /// A dot.
    pub(crate) fn circle(&mut self) -> Mark<'_> {
        self.mark("circle")
    }

    /// A line through points.
    pub(crate) fn polyline(&mut self) -> Mark<'_> {
        self.mark("polyline")
    }

    /// A shape outlined by points.
    pub(crate) fn path(&mut self) -> Mark<'_> {
        self.mark("path")
    }

    fn mark(&mut self, name: &'static str) -> Mark<'_> {
        self.out.push('<');
        self.out.push_str(name);
        Mark {
            out: &mut self.out,
            name,
        }
    }

    /// The chart's text, closed.
    pub(crate) fn close(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// ` name="value"`, the value escaped.
fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"{}\"", esc(value));
}

/// One mark being written: its attributes in the order they are given,
/// then [`Mark::end`], [`Mark::titled`] or [`Mark::says`] to finish it.
#[derive(Debug)]
#[must_use = "a mark is finished by end, titled or says"]
pub(crate) struct Mark<'a> {
    out: &'a mut String,
    name: &'static str,
}

impl Mark<'_> {
    /// Any attribute with a text value (escaped).
    pub(crate) fn attr(self, name: &str, value: &str) -> Self {
        attr(self.out, name, value);
        self
    }

    /// Any attribute with a number.
    pub(crate) fn num(self, name: &str, n: impl Num) -> Self {
        let _ = write!(self.out, " {name}=\"");
        n.put(self.out);
        self.out.push('"');
        self
    }

    /// `class`, which the page's CSS styles.
    pub(crate) fn class(self, class: &str) -> Self {
        self.attr("class", class)
    }

    /// `data-NAME`, by which tests and readers find the mark.
    pub(crate) fn data(self, name: &str, value: &str) -> Self {
        self.attr(&format!("data-{name}"), value)
    }

    /// `x` and `y`.
    pub(crate) fn at(self, x: impl Num, y: impl Num) -> Self {
        self.num("x", x).num("y", y)
    }

    /// `width` and `height`.
    pub(crate) fn size(self, width: impl Num, height: impl Num) -> Self {
        self.num("width", width).num("height", height)
    }

    /// `rx`: rounded corners.
    pub(crate) fn rx(self, r: impl Num) -> Self {
        self.num("rx", r)
    }

    /// `fill`, a colour.
    pub(crate) fn fill(self, colour: &str) -> Self {
        self.attr("fill", colour)
    }

    /// `text-anchor`: `middle` or `end` (`start` when not given).
    pub(crate) fn anchor(self, anchor: &str) -> Self {
        self.attr("text-anchor", anchor)
    }

    /// `style`, inline CSS.
    pub(crate) fn style(self, css: &str) -> Self {
        self.attr("style", css)
    }

    /// A line's ends: `x1`, `y1`, `x2`, `y2`.
    pub(crate) fn ends(self, x1: impl Num, y1: impl Num, x2: impl Num, y2: impl Num) -> Self {
        self.num("x1", x1).num("y1", y1).num("x2", x2).num("y2", y2)
    }

    /// A circle's centre: `cx` and `cy`.
    pub(crate) fn centre(self, cx: impl Num, cy: impl Num) -> Self {
        self.num("cx", cx).num("cy", cy)
    }

    /// A circle's radius: `r`.
    pub(crate) fn r(self, r: impl Num) -> Self {
        self.num("r", r)
    }

    /// A polyline's `points`: `x,y x,y …`.
    pub(crate) fn points(self, points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        self.out.push_str(" points=\"");
        for (i, (x, y)) in points.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            pair(self.out, x, y);
        }
        self.out.push('"');
        self
    }

    /// A path's `d` outlining a closed shape through `corners`:
    /// `M x,y L x,y … Z`.
    pub(crate) fn outline(self, corners: &[(f64, f64)]) -> Self {
        self.out.push_str(" d=\"");
        for (i, (x, y)) in corners.iter().enumerate() {
            self.out.push_str(if i == 0 { "M" } else { " L" });
            pair(self.out, *x, *y);
        }
        self.out.push_str(" Z\"");
        self
    }

    /// Finishes an empty mark: `/>`.
    pub(crate) fn end(self) {
        self.out.push_str("/>\n");
    }

    /// Finishes the mark with a `<title>` that a pointer shows (escaped).
    pub(crate) fn titled(self, title: &str) {
        let _ = writeln!(self.out, "><title>{}</title></{}>", esc(title), self.name);
    }

    /// Finishes the mark with its text (escaped): a label's words.
    pub(crate) fn says(self, text: &str) {
        let _ = writeln!(self.out, ">{}</{}>", esc(text), self.name);
    }
}

/// `x,y` by the number rule.
fn pair(out: &mut String, x: f64, y: f64) {
    x.put(out);
    out.push(',');
    y.put(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_labelled_and_its_marks_keep_their_attribute_order() {
        let mut svg = Svg::chart("c", 100, 50)
            .data("figure", "a&b")
            .no_wider()
            .open("f0", "T <1>", Some("d"));
        svg.rect()
            .class("bar")
            .at(10, 2.26)
            .size(4.0, 22)
            .rx(4)
            .fill("#fff")
            .titled("x \"y\"");
        svg.line().ends(1, 2, 3.0, 4.0).class("axis").end();
        svg.text()
            .at(0, 16)
            .anchor("end")
            .class("tick")
            .says("a < b");
        svg.circle().class("point").centre(1.0, 2.0).r(3.5).end();
        svg.polyline()
            .class("series")
            .points([(1.0, 2.0), (3.04, 4.06)])
            .end();
        svg.path()
            .outline(&[(0.0, 1.0), (1.0, 0.0), (0.0, -1.0)])
            .end();
        assert_eq!(
            svg.close(),
            "<svg class=\"c\" data-figure=\"a&amp;b\" role=\"img\" aria-labelledby=\"f0-title f0-desc\" viewBox=\"0 0 100 50\" width=\"100%\" style=\"max-width: 100px\" xmlns=\"http://www.w3.org/2000/svg\">\n\
             <title id=\"f0-title\">T &lt;1&gt;</title>\n\
             <desc id=\"f0-desc\">d</desc>\n\
             <rect class=\"bar\" x=\"10\" y=\"2.3\" width=\"4.0\" height=\"22\" rx=\"4\" fill=\"#fff\"><title>x &quot;y&quot;</title></rect>\n\
             <line x1=\"1\" y1=\"2\" x2=\"3.0\" y2=\"4.0\" class=\"axis\"/>\n\
             <text x=\"0\" y=\"16\" text-anchor=\"end\" class=\"tick\">a &lt; b</text>\n\
             <circle class=\"point\" cx=\"1.0\" cy=\"2.0\" r=\"3.5\"/>\n\
             <polyline class=\"series\" points=\"1.0,2.0 3.0,4.1\"/>\n\
             <path d=\"M0.0,1.0 L1.0,0.0 L0.0,-1.0 Z\"/>\n\
             </svg>\n"
        );
    }

    #[test]
    fn a_chart_without_a_description_is_labelled_by_its_title() {
        let svg = Svg::chart("t", 10, 20).open("timeline", "Alerts", None);
        assert_eq!(
            svg.close(),
            "<svg class=\"t\" role=\"img\" aria-labelledby=\"timeline-title\" viewBox=\"0 0 10 20\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\n\
             <title id=\"timeline-title\">Alerts</title>\n</svg>\n"
        );
    }

    #[test]
    fn a_scale_maps_its_domain_onto_its_range() {
        let x = Scale::new((0.0, 10.0), (100.0, 200.0));
        assert_eq!(x.at(0.0), 100.0);
        assert_eq!(x.at(2.5), 125.0);
        assert_eq!(x.px(0.04), 100);
        // Highest at the top.
        let y = Scale::new((8.0, 4.0), (20.0, 60.0));
        assert_eq!(y.at(8.0), 20.0);
        assert_eq!(y.at(5.0), 50.0);
        // One value: the middle.
        assert_eq!(Scale::new((3.0, 3.0), (0.0, 50.0)).at(3.0), 25.0);
    }
}
