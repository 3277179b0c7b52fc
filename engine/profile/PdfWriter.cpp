#include "PdfWriter.h"

#include "core/Error.h"

#include <cairo-pdf.h>
#include <cairo.h>

namespace avatar {

namespace {

constexpr const char* kFont = "DejaVu Sans"; // fonts-dejavu-core, also the captions' font

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// Cairo refuses text that is not UTF-8 (and then stops drawing altogether): zone names come from callers and
// table cells are cut to fit, so each byte that does not start a complete sequence becomes '?'.
std::string validUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80           ? 1
                                   : (lead >> 5) == 0x6  ? 2
                                   : (lead >> 4) == 0xE  ? 3
                                   : (lead >> 3) == 0x1E ? 4
                                                         : 0;
        bool ok = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; ok && k < length; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        if (ok) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

} // namespace

void PdfWriter::SurfaceDeleter::operator()(_cairo_surface* surface) const {
    cairo_surface_destroy(surface);
}

void PdfWriter::ContextDeleter::operator()(_cairo* context) const {
    cairo_destroy(context);
}

PdfWriter::PdfWriter()
    : m_surface(cairo_pdf_surface_create_for_stream(append, &m_out, kPageWidth, kPageHeight)),
      m_cr(cairo_create(m_surface.get())) {
    cairo_pdf_surface_set_metadata(m_surface.get(), CAIRO_PDF_METADATA_CREATOR, "Avatar Studio profiler");
}

PdfWriter::~PdfWriter() = default;

void PdfWriter::newPage() {
    cairo_show_page(m_cr.get());
    ++m_pages;
}

void PdfWriter::font(double size, bool bold) {
    cairo_select_font_face(m_cr.get(), kFont, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(m_cr.get(), size);
}

void PdfWriter::text(double x, double y, double size, std::string_view content, bool bold) {
    font(size, bold);
    cairo_set_source_rgb(m_cr.get(), m_fill[0], m_fill[1], m_fill[2]);
    cairo_move_to(m_cr.get(), x, kPageHeight - y);
    cairo_show_text(m_cr.get(), validUtf8(content).c_str());
}

void PdfWriter::setFill(double r, double g, double b) {
    m_fill[0] = r;
    m_fill[1] = g;
    m_fill[2] = b;
}

void PdfWriter::setStroke(double r, double g, double b) {
    m_stroke[0] = r;
    m_stroke[1] = g;
    m_stroke[2] = b;
}

void PdfWriter::rect(double x, double y, double width, double height, bool fill) {
    cairo_rectangle(m_cr.get(), x, kPageHeight - y - height, width, height);
    const double* c = fill ? m_fill : m_stroke;
    cairo_set_source_rgb(m_cr.get(), c[0], c[1], c[2]);
    if (fill)
        cairo_fill(m_cr.get());
    else
        cairo_stroke(m_cr.get());
}

void PdfWriter::line(double x1, double y1, double x2, double y2, double width) {
    cairo_set_line_width(m_cr.get(), width);
    cairo_set_source_rgb(m_cr.get(), m_stroke[0], m_stroke[1], m_stroke[2]);
    cairo_move_to(m_cr.get(), x1, kPageHeight - y1);
    cairo_line_to(m_cr.get(), x2, kPageHeight - y2);
    cairo_stroke(m_cr.get());
}

double PdfWriter::textWidth(std::string_view content, double size, bool bold) {
    font(size, bold);
    cairo_text_extents_t extents;
    cairo_text_extents(m_cr.get(), validUtf8(content).c_str(), &extents);
    return extents.x_advance;
}

std::string PdfWriter::finish(std::string_view title) {
    cairo_pdf_surface_set_metadata(m_surface.get(), CAIRO_PDF_METADATA_TITLE, validUtf8(title).c_str());
    m_cr.reset();
    cairo_surface_finish(m_surface.get());
    const cairo_status_t status = cairo_surface_status(m_surface.get());
    m_surface.reset();
    if (status != CAIRO_STATUS_SUCCESS)
        throw Error(ErrorCode::Internal, std::string("The PDF report could not be drawn: ") +
                                             cairo_status_to_string(status) + ".");
    return std::move(m_out);
}

} // namespace avatar
