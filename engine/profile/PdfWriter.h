#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace avatar {

// A minimal PDF 1.4 writer: A4 pages of text in the standard Helvetica fonts (no embedding needed) and vector
// lines and rectangles. Coordinates are PDF points with the origin at the bottom left. Content streams are
// left uncompressed so that the file stays inspectable and the tests can find the text in it.
class PdfWriter {
public:
    static constexpr double kPageWidth = 595.0; // A4
    static constexpr double kPageHeight = 842.0;

    void newPage();
    std::size_t pageCount() const { return m_pages.size(); }

    // Latin-1 text; other characters become '?'. bold picks Helvetica-Bold.
    void text(double x, double y, double size, std::string_view text, bool bold = false);
    void setFill(double r, double g, double b);
    void setStroke(double r, double g, double b);
    void rect(double x, double y, double width, double height, bool fill = true);
    void line(double x1, double y1, double x2, double y2, double width = 0.5);

    // The approximate width of text in Helvetica (an average glyph width: right-aligning numbers, wrapping).
    static double textWidth(std::string_view text, double size);

    // The whole file: header, objects, cross-reference table with each object's byte offset, trailer.
    std::string finish(std::string_view title) const;

private:
    std::string& page();
    std::vector<std::string> m_pages; // one content stream each
};

} // namespace avatar
