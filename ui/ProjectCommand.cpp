#include "ProjectCommand.h"

#include <utility>

namespace avatar::ui {

ProjectCommand::ProjectCommand(const QString& text, State before, State after, Apply apply, int mergeKey)
    : QUndoCommand(text), m_before(std::move(before)), m_after(std::move(after)), m_apply(std::move(apply)),
      m_mergeKey(mergeKey) {}

void ProjectCommand::undo() {
    m_apply(m_before);
}

void ProjectCommand::redo() {
    m_apply(m_after);
}

bool ProjectCommand::mergeWith(const QUndoCommand* other) {
    if (other->id() != m_mergeKey || m_mergeKey < 0)
        return false;
    m_after = static_cast<const ProjectCommand*>(other)->m_after;
    return true;
}

} // namespace avatar::ui
