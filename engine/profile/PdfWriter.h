#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

// Cairo's types, declared here so that this header does not pull in <cairo.h>.
struct _cairo;
struct _cairo_surface;

namespace avatar {

// A4 PDF pages drawn with Cairo's PDF surface: text in DejaVu Sans (found through fontconfig, embedded as a
// subset, any Unicode text), lines and rectangles. Coordinates are PDF points with the origin at the bottom
// left, as in the PDF format (Cairo's own origin is the top left; the writer turns them).
class PdfWriter {
public:
    static constexpr double kPageWidth = 595.0; // A4
    static constexpr double kPageHeight = 842.0;

    PdfWriter();
    ~PdfWriter();
    PdfWriter(const PdfWriter&) = delete;
    PdfWriter& operator=(const PdfWriter&) = delete;

    // Starts the next page (the first page exists from the start).
    void newPage();
    std::size_t pageCount() const { return m_pages; }

    // UTF-8 text (bytes that are not UTF-8 become '?'); bold picks the bold face.
    void text(double x, double y, double size, std::string_view text, bool bold = false);
    void setFill(double r, double g, double b);
    void setStroke(double r, double g, double b);
    void rect(double x, double y, double width, double height, bool fill = true);
    void line(double x1, double y1, double x2, double y2, double width = 0.5);

    // The width of text in the font as set, in points (right-aligning numbers, wrapping).
    double textWidth(std::string_view text, double size, bool bold = false);

    // Ends the document and returns the whole file. The writer cannot draw afterwards.
    std::string finish(std::string_view title);

private:
    struct SurfaceDeleter {
        void operator()(_cairo_surface* surface) const;
    };
    struct ContextDeleter {
        void operator()(_cairo* context) const;
    };
    void font(double size, bool bold);

    std::string m_out; // Cairo writes the file here as it goes
    std::unique_ptr<_cairo_surface, SurfaceDeleter> m_surface;
    std::unique_ptr<_cairo, ContextDeleter> m_cr;
    std::size_t m_pages = 1;
    double m_fill[3] = {0, 0, 0};
    double m_stroke[3] = {0, 0, 0};
};

} // namespace avatar
