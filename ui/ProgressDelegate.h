#pragma once

#include <QStyledItemDelegate>

namespace avatar::ui {

// Draws the progress column as the style's progress bar, from JobTableModel::Role::Progress.
class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace avatar::ui
