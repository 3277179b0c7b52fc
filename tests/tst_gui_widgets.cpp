// The studio's widgets and models on their own (no render): job model and delegate, script statistics,
// charts, player preview, latency probe.
#include "JobTableModel.h"
#include "LatencyProbe.h"
#include "MetricsCharts.h"
#include "PlayerPanel.h"
#include "ProgressDelegate.h"
#include "ScriptEditor.h"
#include "TimeChart.h"
#include "UiText.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QLabel>
#include <QLegend>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStyleOptionViewItem>
#include <QTest>
#include <QTextCursor>
#include <QValueAxis>
#include <QXYSeries>

using namespace avatar;
using namespace avatar::ui;

class TestGuiWidgets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scriptStats_data();
    void scriptStats();
    void scriptEditorInsertsPause();
    void modelRowsAndRoles();
    void modelMovesFollowPositions();
    void delegatePaintsProgress();
    void chartsKeepFiveMinutes();
    void playerShowsPreview();
    void latencyProbeMeasuresDrift();
    void durationText();
    void chartLegendsNeverCutOff();
};

void TestGuiWidgets::scriptStats_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("speed");
    QTest::addColumn<int>("sentences");
    QTest::addColumn<int>("words");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<bool>("error");
    QTest::newRow("empty") << QString() << 1.0 << 0 << 0 << 0.0 << false;
    // 150 words a minute: 5 words = 2 s, at double speed 1 s.
    QTest::newRow("one") << QStringLiteral("Hello there my good friend.") << 1.0 << 1 << 5 << 2.0 << false;
    QTest::newRow("fast") << QStringLiteral("Hello there my good friend.") << 2.0 << 1 << 5 << 1.0 << false;
    QTest::newRow("pause") << QStringLiteral("One two three. <break time=\"1s\"/> Four five!") << 1.0 << 2
                           << 5 << 3.0 << false;
    QTest::newRow("bad pause") << QStringLiteral("Hi. <break time=\"99s\"/>") << 1.0 << 0 << 0 << 0.0 << true;
}

void TestGuiWidgets::scriptStats() {
    QFETCH(QString, text);
    QFETCH(double, speed);
    const ScriptEditor::Stats s = ScriptEditor::analyze(text, speed);
    QTEST(s.sentences, "sentences");
    QTEST(s.words, "words");
    QTEST(!s.error.isEmpty(), "error");
    QFETCH(double, seconds);
    QVERIFY2(std::abs(s.spokenSeconds - seconds) < 1e-9, qPrintable(QString::number(s.spokenSeconds)));
}

void TestGuiWidgets::scriptEditorInsertsPause() {
    ScriptEditor editor;
    QSignalSpy changed(&editor, &ScriptEditor::statsChanged);
    editor.setText(QStringLiteral("Hello."));
    editor.editor()->moveCursor(QTextCursor::End);
    editor.insertPause();
    QVERIFY(editor.text().contains(QStringLiteral("<break time=\"500ms\"/>")));
    QVERIFY(changed.count() >= 2);
    QCOMPARE(editor.stats().pauseSeconds, 0.5);
    QVERIFY(editor.statsLabel()->text().contains(QStringLiteral("1")));
}

static JobRecord record(JobId id, int position, JobState state = JobState::Queued) {
    JobRecord r;
    r.id = id;
    r.position = position;
    r.state = state;
    r.spec.name = "job " + std::to_string(id);
    r.spec.render.output = "/tmp/job" + std::to_string(id) + ".mp4";
    return r;
}

void TestGuiWidgets::modelRowsAndRoles() {
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), JobTableModel::columnId(JobTableModel::Column::Count));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.upsert(record(1, 0));
    model.upsert(record(2, 1));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.rowCount(), 2);

    JobRecord running = record(1, 0, JobState::Running);
    running.progress = 0.25;
    running.stage = Stage::Render;
    running.etaSeconds = 65;
    model.upsert(running);
    QCOMPARE(changed.count(), 1);
    const QModelIndex progress = model.index(0, JobTableModel::columnId(JobTableModel::Column::Progress));
    QCOMPARE(progress.data(JobTableModel::roleId(JobTableModel::Role::Progress)).toDouble(), 0.25);
    QCOMPARE(progress.data().toString(), QStringLiteral("25%"));
    QCOMPARE(model.index(0, JobTableModel::columnId(JobTableModel::Column::Eta)).data().toString(),
             QStringLiteral("1:05"));
    QCOMPARE(model.index(0, JobTableModel::columnId(JobTableModel::Column::Stage)).data().toString(),
             UiText::stage(Stage::Render));
    QCOMPARE(model.index(1, 0).data(JobTableModel::roleId(JobTableModel::Role::JobId)).toLongLong(), 2);
    QCOMPARE(model.count(JobState::Running), 1);

    // Progress alone announces only the columns from Progress on.
    running.progress = 0.5;
    model.upsert(running);
    const auto args = changed.takeLast();
    QCOMPARE(args.at(0).toModelIndex().column(), JobTableModel::columnId(JobTableModel::Column::Progress));

    model.removeJob(1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(2), 0);
    model.removeJob(42); // unknown: nothing happens
    QCOMPARE(model.rowCount(), 1);
}

void TestGuiWidgets::modelMovesFollowPositions() {
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset({record(1, 0), record(2, 1), record(3, 2)});
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    // Job 3 moves up: it swaps with job 2.
    model.move(record(3, 1));
    model.move(record(2, 2));
    QVERIFY(moved.count() >= 1);
    QCOMPARE(model.record(0)->id, 1);
    QCOMPARE(model.record(1)->id, 3);
    QCOMPARE(model.record(2)->id, 2);
}

void TestGuiWidgets::delegatePaintsProgress() {
    JobTableModel model;
    JobRecord r = record(1, 0, JobState::Running);
    r.progress = 0.6;
    model.upsert(r);
    ProgressDelegate delegate;
    QImage image(200, 24, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    QStyleOptionViewItem option;
    option.rect = image.rect();
    option.palette = QApplication::palette();
    option.fontMetrics = QFontMetrics(QApplication::font());
    delegate.paint(&painter, option,
                   model.index(0, JobTableModel::columnId(JobTableModel::Column::Progress)));
    painter.end();
    // The bar's filled part differs from the empty part.
    QVERIFY(image.pixel(30, 12) != image.pixel(180, 12));
}

void TestGuiWidgets::chartsKeepFiveMinutes() {
    MetricsCharts charts;
    EngineMetrics m;
    m.poolReservedBytes = 64u << 20;
    m.workers = 4;
    m.latency = {{"tts", 3.0}, {"render", 12.0}};
    for (int t = 0; t < 400; ++t) {
        m.time = t;
        m.scalerDecisions.clear();
        if (t == 390)
            m.scalerDecisions = {"scale 4 -> 6: cpu 97%"};
        charts.addSample(m, t < 200 ? -1.0 : 1.5); // the window's probe p95 from t = 200 on
    }
    QCOMPARE(charts.sampleCount(), 400);
    // The last 300 s only (301 points: both ends are kept).
    const int points = int(charts.memoryChart()->series(0)->count());
    QVERIFY2(points >= 300 && points <= 301, qPrintable(QString::number(points)));
    QCOMPARE(charts.memoryChart()->series(0)->at(points - 1).y(), 64.0);
    // One series per stage the engine named, and the GUI thread's probe.
    QCOMPARE(charts.latencyChart()->seriesCount(), 3);
    const int render = charts.latencyChart()->find(QStringLiteral("render"));
    QVERIFY(render >= 0);
    QCOMPARE(charts.latencyChart()->series(render)->at(0).y(), 12.0);
    QXYSeries* ui = charts.latencyChart()->series(charts.uiLatencySeries());
    QCOMPARE(ui->count(), 200);
    QCOMPARE(ui->at(ui->count() - 1).y(), 1.5);
    QCOMPARE(charts.decisions().size(), 1);
    // No GPU reported: no GPU series.
    QCOMPARE(charts.memoryChart()->seriesCount(), 3);
    m.gpuUsedBytes = 1 << 20;
    m.time = 401;
    charts.addSample(m);
    QCOMPARE(charts.memoryChart()->seriesCount(), 4);
}

void TestGuiWidgets::playerShowsPreview() {
    PlayerPanel player;
    player.resize(640, 400);
    player.show();
    QCOMPARE(player.page(), PlayerPanel::Page::Empty);
    QImage frame(480, 270, QImage::Format_RGB888);
    frame.fill(Qt::red);
    player.showPreview(frame, QStringLiteral("job"));
    QCOMPARE(player.page(), PlayerPanel::Page::Preview);
    QVERIFY(!player.previewLabel()->pixmap().isNull());
    player.clearPreview();
    QCOMPARE(player.page(), PlayerPanel::Page::Empty);
}

void TestGuiWidgets::latencyProbeMeasuresDrift() {
    LatencyProbe probe;
    QSignalSpy sampled(&probe, &LatencyProbe::sampled);
    probe.start();
    QTRY_VERIFY_WITH_TIMEOUT(sampled.count() >= 10, 5000);
    // Block the event loop for 60 ms: one sample must see it.
    QTest::qSleep(60);
    QTRY_VERIFY_WITH_TIMEOUT(sampled.count() >= 15, 5000);
    QVERIFY2(probe.maxMs() >= 40.0, qPrintable(QString::number(probe.maxMs())));
    QVERIFY(probe.percentileMs(50) < probe.maxMs());
}

void TestGuiWidgets::durationText() {
    QCOMPARE(UiText::duration(-1), QStringLiteral("–"));
    QCOMPARE(UiText::duration(5), QStringLiteral("0:05"));
    QCOMPARE(UiText::duration(3723), QStringLiteral("1:02:03"));
}

QTEST_MAIN(TestGuiWidgets)
// Issue #18: Qt Charts' own legend elided "pool reserved" to "pool reserv..." in the narrow charts of a
// 1366x768 window. Every chart's legend shows each series' whole name, wrapped onto more lines when needed,
// inside the chart and under its plot.
void TestGuiWidgets::chartLegendsNeverCutOff() {
    MetricsCharts charts;
    charts.resize(440, 560); // the live charts' dock on a 1366x768 screen: about 210 px per chart
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const QList<TimeChart*> all = charts.findChildren<TimeChart*>();
    QCOMPARE(all.size(), 6);
    all.front()->addSeries(QStringLiteral("a series with a rather long name"));
    bool wrapped = false;
    for (TimeChart* chart : all) {
        QVERIFY(!chart->chart()->legend()->isVisible());
        const QLabel* legend = chart->legend();
        QVERIFY(legend->isVisible());
        QVERIFY2(chart->rect().contains(legend->geometry()), qPrintable(chart->accessibleName()));
        QVERIFY(legend->height() >= legend->heightForWidth(legend->width()));
        const QFontMetrics metrics(legend->font());
        for (int i = 0; i < chart->seriesCount(); ++i) {
            const QString name = chart->series(i)->name();
            QString html = name.toHtmlEscaped();
            html.replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
            QVERIFY2(legend->text().contains(html), qPrintable(name));
            QVERIFY2(metrics.horizontalAdvance(QStringLiteral("■ ") + name) <= legend->width(),
                     qPrintable(name));
        }
        wrapped = wrapped || legend->height() > 2 * metrics.height();
        // The plot sits above the legend.
        QVERIFY(chart->chart()->plotArea().bottom() < legend->geometry().top());
    }
    QVERIFY(wrapped); // at this width the memory chart's four names need more than one line

    // Too short for "entries" beside the plot: the units move into the title rather than being elided.
    TimeChart* cacheSize = all.back();
    cacheSize->resize(cacheSize->width(), 100);
    QTRY_COMPARE(cacheSize->height(), 100);
    const QList<QAbstractAxis*> axes = cacheSize->chart()->axes(Qt::Vertical);
    QVERIFY(!axes.isEmpty());
    for (QAbstractAxis* a : axes)
        QVERIFY(!a->isTitleVisible());
    QVERIFY2(cacheSize->chart()->title().contains(axes.first()->titleText()),
             qPrintable(cacheSize->chart()->title()));
    cacheSize->resize(cacheSize->width(), 300);
    QTRY_VERIFY(axes.first()->isTitleVisible());
    QCOMPARE(cacheSize->chart()->title(), cacheSize->accessibleName());

    // Value labels fit the data in round steps: "0.25", "500", never "666.667" or the elided "0.666...".
    for (const double top : {0.7, 1.0, 7.3, 1400.0, 123456.0}) {
        TimeChart* chart = all.front();
        chart->series(0)->clear();
        chart->append(0, 1.0, top);
        chart->advance(1.0);
        for (QAbstractAxis* a : chart->chart()->axes(Qt::Vertical)) {
            const auto* axis = qobject_cast<QValueAxis*>(a);
            if (a->alignment() != Qt::AlignLeft)
                continue;
            QCOMPARE(int(axis->tickType()), int(QValueAxis::TicksDynamic));
            QVERIFY(axis->max() >= top);
            const double steps = axis->max() / axis->tickInterval();
            QVERIFY2(steps <= 5.0 + 1e-9 && axis->max() < top * 2.5,
                     qPrintable(QString::number(axis->max())));
            for (int k = 0; k <= int(std::lround(steps)); ++k) {
                const QString label = QString::number(k * axis->tickInterval(), 'g', 6);
                QVERIFY2(label.size() <= 6, qPrintable(label));
            }
        }
    }
}

#include "tst_gui_widgets.moc"
