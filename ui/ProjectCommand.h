#pragma once

#include "project/Project.h"

#include <QUndoCommand>

#include <functional>

namespace avatar::ui {

// One edit of a project as the undo stack keeps it: the project before and after, and the scene selected
// with each. Snapshots rather than inverse operations, so that every edit (add, reorder, delete, a scene's
// layout or text, the brand) undoes exactly, whatever it touched; a project is a few kilobytes.
class ProjectCommand : public QUndoCommand {
public:
    struct State {
        project::Project project;
        int currentScene = 0;
    };
    using Apply = std::function<void(const State&)>;

    // `mergeKey` ≥ 0 merges consecutive edits with the same key (typing in one scene's script is one undo).
    ProjectCommand(const QString& text, State before, State after, Apply apply, int mergeKey = -1);

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeKey; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    State m_before;
    State m_after;
    Apply m_apply;
    int m_mergeKey;
};

} // namespace avatar::ui
