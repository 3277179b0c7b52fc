#include "PdfWriter.h"

#include <cstdio>

namespace avatar {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// A PDF literal string: backslash, parentheses escaped; bytes outside printable ASCII replaced.
std::string literal(std::string_view text) {
    std::string out = "(";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '(' || c == ')' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else if (c >= 0xc0) {
            out += '?'; // the start of a UTF-8 sequence; its continuation bytes are dropped
        } else if (c < 0x80) {
            out += ' ';
        }
    }
    return out + ")";
}

} // namespace

void PdfWriter::newPage() {
    m_pages.emplace_back();
}

std::string& PdfWriter::page() {
    if (m_pages.empty())
        newPage();
    return m_pages.back();
}

void PdfWriter::text(double x, double y, double size, std::string_view content, bool bold) {
    page() += "BT /" + std::string(bold ? "F2 " : "F1 ") + num(size) + " Tf " + num(x) + " " + num(y) +
              " Td " + literal(content) + " Tj ET\n";
}

void PdfWriter::setFill(double r, double g, double b) {
    page() += num(r) + " " + num(g) + " " + num(b) + " rg\n";
}

void PdfWriter::setStroke(double r, double g, double b) {
    page() += num(r) + " " + num(g) + " " + num(b) + " RG\n";
}

void PdfWriter::rect(double x, double y, double width, double height, bool fill) {
    page() += num(x) + " " + num(y) + " " + num(width) + " " + num(height) + (fill ? " re f\n" : " re S\n");
}

void PdfWriter::line(double x1, double y1, double x2, double y2, double width) {
    page() += num(width) + " w " + num(x1) + " " + num(y1) + " m " + num(x2) + " " + num(y2) + " l S\n";
}

double PdfWriter::textWidth(std::string_view text, double size) {
    return static_cast<double>(text.size()) * size * 0.52;
}

std::string PdfWriter::finish(std::string_view title) const {
    std::vector<std::string> pages = m_pages;
    if (pages.empty())
        pages.emplace_back();
    // Objects: 1 catalog, 2 page tree, 3-4 fonts, 5 info, then a page and its content stream per page.
    std::vector<std::string> objects;
    std::string kids;
    for (std::size_t i = 0; i < pages.size(); ++i)
        kids += std::to_string(6 + 2 * i) + " 0 R ";
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    objects.push_back(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
    objects.push_back("<< /Title " + literal(title) + " /Producer (Avatar Studio profiler) >>");
    for (std::size_t i = 0; i < pages.size(); ++i) {
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(kPageWidth) + " " +
                          num(kPageHeight) + "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents " +
                          std::to_string(7 + 2 * i) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(pages[i].size()) + " >>\nstream\n" + pages[i] +
                          "\nendstream");
    }

    // The binary comment tells transfer tools that the file is not text.
    std::string out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const std::size_t offset : offsets) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n",
                      offset); // exactly 20 bytes, as the format wants
        out += entry;
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R /Info 5 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
}

} // namespace avatar
