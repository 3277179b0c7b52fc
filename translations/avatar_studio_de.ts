<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>avatar::ui::AboutDialog</name>
    <message>
        <source>&lt;h3&gt;Licences of the bundled data&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Facial landmark model&lt;/b&gt; (shape_predictor_68_face_landmarks.dat, from Debian&apos;s libdlib-data): dlib&apos;s model trained on the iBUG 300-W data set. The data set&apos;s licence excludes commercial use; check it before selling videos made with it.&lt;/li&gt;&lt;li&gt;&lt;b&gt;face-api.js weights&lt;/b&gt; (@vladmandic/face-api): MIT licence.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Default portrait&lt;/b&gt;: NASA astronaut Eileen Collins, a NASA photograph in the public domain (via scikit-image).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Voices&lt;/b&gt;: Flite (BSD-style licence) and espeak-ng (GPL-3.0 or later).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Qt&lt;/b&gt; 6 (LGPL-3.0), &lt;b&gt;FFmpeg&lt;/b&gt; (LGPL/GPL), &lt;b&gt;x264&lt;/b&gt; (GPL-2.0), &lt;b&gt;dlib&lt;/b&gt; (Boost Software Licence), &lt;b&gt;OpenCV&lt;/b&gt; (Apache-2.0), &lt;b&gt;libass&lt;/b&gt; (ISC), &lt;b&gt;SQLite&lt;/b&gt; (public domain).&lt;/li&gt;&lt;/ul&gt;</source>
        <translation>&lt;h3&gt;Lizenzen der mitgelieferten Daten&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Modell der Gesichtsmerkmale&lt;/b&gt; (shape_predictor_68_face_landmarks.dat, aus Debians libdlib-data): das mit dem Datensatz iBUG 300-W trainierte Modell von dlib. Die Lizenz des Datensatzes schließt kommerzielle Nutzung aus; prüfen Sie sie, bevor Sie damit erstellte Videos verkaufen.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Gewichte von face-api.js&lt;/b&gt; (@vladmandic/face-api): MIT-Lizenz.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Standardporträt&lt;/b&gt;: NASA-Astronautin Eileen Collins, ein gemeinfreies Foto der NASA (über scikit-image).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Stimmen&lt;/b&gt;: Flite (BSD-artige Lizenz) und espeak-ng (GPL-3.0 oder später).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Qt&lt;/b&gt; 6 (LGPL-3.0), &lt;b&gt;FFmpeg&lt;/b&gt; (LGPL/GPL), &lt;b&gt;x264&lt;/b&gt; (GPL-2.0), &lt;b&gt;dlib&lt;/b&gt; (Boost Software Licence), &lt;b&gt;OpenCV&lt;/b&gt; (Apache-2.0), &lt;b&gt;libass&lt;/b&gt; (ISC), &lt;b&gt;SQLite&lt;/b&gt; (gemeinfrei).&lt;/li&gt;&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>About Avatar Studio</source>
        <translation>Über Avatar Studio</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Avatar Studio %1&lt;/h2&gt;&lt;p&gt;Type a script, pick a portrait and get a lip-synced talking-presenter video, rendered offline on this computer.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Avatar Studio %1&lt;/h2&gt;&lt;p&gt;Text eingeben, Porträt wählen und ein lippensynchrones Sprechervideo erhalten – offline auf diesem Computer gerendert.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>avatar::ui::AvatarGallery</name>
    <message>
        <source>Add portrait…</source>
        <translation>Porträt hinzufügen …</translation>
    </message>
    <message>
        <source>Check face</source>
        <translation>Gesicht prüfen</translation>
    </message>
    <message>
        <source>Show landmarks</source>
        <translation>Gesichtsmerkmale zeigen</translation>
    </message>
    <message>
        <source>Portraits</source>
        <translation>Porträts</translation>
    </message>
    <message>
        <source>Choose the presenter&apos;s portrait. Drop image files here to add them.</source>
        <translation>Wählen Sie das Porträt des Sprechers. Bilddateien hierher ziehen, um sie hinzuzufügen.</translation>
    </message>
    <message>
        <source>Portrait preview</source>
        <translation>Porträtvorschau</translation>
    </message>
    <message>
        <source>Add portraits from image files (PNG, JPEG, WebP, …)</source>
        <translation>Porträts aus Bilddateien hinzufügen (PNG, JPEG, WebP, …)</translation>
    </message>
    <message>
        <source>Find the face in the selected portrait, as the renderer will</source>
        <translation>Das Gesicht im gewählten Porträt so suchen, wie es der Renderer tut</translation>
    </message>
    <message>
        <source>Draw the 68 facial landmarks found by the face check</source>
        <translation>Die 68 bei der Gesichtsprüfung gefundenen Gesichtsmerkmale einzeichnen</translation>
    </message>
    <message>
        <source>Astronaut</source>
        <translation>Astronautin</translation>
    </message>
    <message>
        <source>Built-in portrait: NASA astronaut Eileen Collins (public domain)</source>
        <translation>Eingebautes Porträt: NASA-Astronautin Eileen Collins (gemeinfrei)</translation>
    </message>
    <message>
        <source>Add portraits</source>
        <translation>Porträts hinzufügen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Looking for a face…</source>
        <translation>Suche nach einem Gesicht …</translation>
    </message>
    <message>
        <source>Face found (%1 × %2 px, confidence %3).</source>
        <translation>Gesicht gefunden (%1 × %2 px, Konfidenz %3).</translation>
    </message>
    <message>
        <source>The Neural (LibTorch) face finder found no face in this portrait.</source>
        <translation>Die Gesichtserkennung Neuronal (LibTorch) hat in diesem Porträt kein Gesicht gefunden.</translation>
    </message>
    <message>
        <source>Try the Neural (LibTorch) face finder: it also finds small and turned faces.</source>
        <translation>Versuchen Sie die Gesichtserkennung Neuronal (LibTorch), die auch kleine und gedrehte Gesichter findet.</translation>
    </message>
    <message>
        <source>%1 faces found: click the one who speaks in the picture (the largest is picked).</source>
        <translation>%1 Gesichter gefunden: Klicken Sie im Bild auf das Gesicht, das sprechen soll (gewählt ist das größte).</translation>
    </message>
    <message>
        <source>Click the face of the presenter who speaks</source>
        <translation>Klicken Sie auf das Gesicht der Person, die spricht</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected portrait from the gallery (the file stays on disk; Delete)</source>
        <translation>Das gewählte Porträt aus der Galerie entfernen (die Datei bleibt erhalten; Entf)</translation>
    </message>
    <message>
        <source>Remove from gallery</source>
        <translation>Aus der Galerie entfernen</translation>
    </message>
    <message>
        <source>“%1” is not an image the studio can read (PNG, JPEG, WebP, BMP or TIFF); it was not added.</source>
        <translation>„%1“ ist kein Bild, das das Studio lesen kann (PNG, JPEG, WebP, BMP oder TIFF); es wurde nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>No face was found in this portrait.</source>
        <translation>In diesem Porträt wurde kein Gesicht gefunden.</translation>
    </message>
    <message>
        <source>The portrait cannot be read.</source>
        <translation>Das Porträt kann nicht gelesen werden.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::BatchDialog</name>
    <message>
        <source>No data yet: open or drop a CSV file whose columns fill the project&apos;s {{placeholders}}.</source>
        <translation>Noch keine Daten: Öffnen oder ziehen Sie eine CSV-Datei hierher, deren Spalten die {{Platzhalter}} des Projekts füllen.</translation>
    </message>
    <message>
        <source>S&amp;kip invalid rows</source>
        <translation>Ungültige Zeilen ü&amp;berspringen</translation>
    </message>
    <message>
        <source>&amp;Open CSV…</source>
        <translation>CSV ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>&amp;Render batch</source>
        <translation>Stapel &amp;rendern</translation>
    </message>
    <message>
        <source>&amp;Cancel batch</source>
        <translation>Stapel a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Batch from a spreadsheet</source>
        <translation>Stapel aus einer Tabelle</translation>
    </message>
    <message>
        <source>Each row&apos;s video file, in %1; {{column}} takes the row&apos;s value</source>
        <translation>Die Videodatei jeder Zeile, in %1; {{Spalte}} wird durch den Wert der Zeile ersetzt</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>Skript</translation>
    </message>
    <message>
        <source>Overlays</source>
        <translation>Einblendungen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Output &amp;name:</source>
        <translation>Ausgabe&amp;name:</translation>
    </message>
    <message>
        <source>Open batch data</source>
        <translation>Stapeldaten öffnen</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 — rows: %2</source>
        <translation>%1 — Zeilen: %2</translation>
    </message>
    <message>
        <source>Every row can render (%1).</source>
        <translation>Jede Zeile kann gerendert werden (%1).</translation>
    </message>
    <message>
        <source>Rows that cannot render (in red): %1.</source>
        <translation>Zeilen, die nicht gerendert werden können (rot): %1.</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Rendering %1 %</source>
        <translation>Wird gerendert: %1 %</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 video(s) rendered, %2 failed.</source>
        <translation>%1 Video(s) gerendert, %2 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Render on c&amp;luster (Slurm)</source>
        <translation>Auf dem C&amp;luster rendern (Slurm)</translation>
    </message>
    <message>
        <source>A new folder on storage every node mounts: the project, the rows, each task&apos;s job database and log</source>
        <translation>Ein neuer Ordner auf einem Speicher, den jeder Knoten einbindet: das Projekt, die Zeilen, Jobdatenbank und Protokoll jeder Aufgabe</translation>
    </message>
    <message>
        <source>Array tasks; row R is rendered by task (R - 1) mod tasks</source>
        <translation>Array-Aufgaben; Zeile R rendert Aufgabe (R - 1) mod Aufgaben</translation>
    </message>
    <message>
        <source>the cluster&apos;s default</source>
        <translation>Vorgabe des Clusters</translation>
    </message>
    <message>
        <source>the partition&apos;s limit</source>
        <translation>Limit der Partition</translation>
    </message>
    <message>
        <source>Each task&apos;s limit, as sbatch --time: minutes, or hours:minutes:seconds (02:00:00)</source>
        <translation>Limit jeder Aufgabe, wie sbatch --time: Minuten oder Stunden:Minuten:Sekunden (02:00:00)</translation>
    </message>
    <message>
        <source>none: each node caches for itself</source>
        <translation>keiner: jeder Knoten hat seinen eigenen Cache</translation>
    </message>
    <message>
        <source>A folder every node mounts: a sentence every video says is drawn once for the whole cluster</source>
        <translation>Ein Ordner, den jeder Knoten einbindet: ein Satz, den jedes Video sagt, wird einmal für den ganzen Cluster gezeichnet</translation>
    </message>
    <message>
        <source>Batch &amp;folder:</source>
        <translation>Batch-&amp;Ordner:</translation>
    </message>
    <message>
        <source>&amp;Tasks:</source>
        <translation>&amp;Aufgaben:</translation>
    </message>
    <message>
        <source>&amp;Partition:</source>
        <translation>&amp;Partition:</translation>
    </message>
    <message>
        <source>Ti&amp;me limit:</source>
        <translation>&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>CP&amp;Us per task:</source>
        <translation>CP&amp;Us pro Aufgabe:</translation>
    </message>
    <message>
        <source>S&amp;hared cache:</source>
        <translation>&amp;Gemeinsamer Cache:</translation>
    </message>
    <message>
        <source>Write a batch folder and submit the rows as a Slurm job array, as avatar-render batch --slurm does; its progress shows in the job queue</source>
        <translation>Einen Batch-Ordner schreiben und die Zeilen als Slurm-Job-Array einreichen, wie avatar-render batch --slurm; der Fortschritt erscheint in der Warteschlange</translation>
    </message>
    <message>
        <source>sbatch is not on the PATH: install the Slurm client (slurm-client) or start the studio on a machine that submits to your cluster</source>
        <translation>sbatch ist nicht im PATH: Installieren Sie den Slurm-Client (slurm-client) oder starten Sie das Studio auf einem Rechner, der an Ihren Cluster einreicht</translation>
    </message>
    <message>
        <source>&amp;Submit to cluster</source>
        <translation>An den Cluster &amp;senden</translation>
    </message>
    <message>
        <source>avatar-render is neither beside the studio nor on the PATH; the cluster&apos;s tasks run it, so install it where every node finds it.</source>
        <translation>avatar-render liegt weder neben dem Studio noch im PATH; die Aufgaben des Clusters führen es aus, installieren Sie es also dort, wo jeder Knoten es findet.</translation>
    </message>
    <message>
        <source>Name the batch folder: a new folder on storage every node mounts.</source>
        <translation>Geben Sie den Batch-Ordner an: einen neuen Ordner auf einem Speicher, den jeder Knoten einbindet.</translation>
    </message>
    <message>
        <source>Submitting to the cluster…</source>
        <translation>Wird an den Cluster gesendet …</translation>
    </message>
    <message>
        <source>Submitted to the cluster as job %1 (%2 tasks); the job queue shows its progress.</source>
        <translation>Als Job %1 an den Cluster gesendet (%2 Aufgaben); die Warteschlange zeigt den Fortschritt.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::ClusterBatchPanel</name>
    <message>
        <source>Cluster batches</source>
        <translation>Cluster-Batches</translation>
    </message>
    <message>
        <source>Cluster batch</source>
        <translation>Cluster-Batch</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <source>Slurm jobs</source>
        <translation>Slurm-Jobs</translation>
    </message>
    <message>
        <source>Cluster batches (Slurm)</source>
        <translation>Cluster-Batches (Slurm)</translation>
    </message>
    <message>
        <source>Play latest</source>
        <translation>Neuestes abspielen</translation>
    </message>
    <message>
        <source>Play the batch&apos;s latest finished video</source>
        <translation>Das zuletzt fertige Video des Batches abspielen</translation>
    </message>
    <message>
        <source>Show outputs</source>
        <translation>Ausgaben zeigen</translation>
    </message>
    <message>
        <source>Open the folder the batch&apos;s videos are written to</source>
        <translation>Den Ordner öffnen, in den die Videos des Batches geschrieben werden</translation>
    </message>
    <message>
        <source>Resubmit failed</source>
        <translation>Fehlgeschlagene neu einreichen</translation>
    </message>
    <message>
        <source>Submit the tasks with failed or missing rows again; the rows done stay done (avatar-render batch resubmit)</source>
        <translation>Die Aufgaben mit fehlgeschlagenen oder fehlenden Zeilen erneut einreichen; fertige Zeilen bleiben fertig (avatar-render batch resubmit)</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>Vergessen</translation>
    </message>
    <message>
        <source>Take the batch off this list; its folder, videos and Slurm jobs stay</source>
        <translation>Den Batch von dieser Liste nehmen; Ordner, Videos und Slurm-Jobs bleiben</translation>
    </message>
    <message>
        <source>Opened %1 in the file manager.</source>
        <translation>%1 im Dateimanager geöffnet.</translation>
    </message>
    <message>
        <source>No file manager could open %1: open it yourself.</source>
        <translation>Kein Dateimanager konnte %1 öffnen: Öffnen Sie den Ordner selbst.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Wird gelesen …</translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation>Nicht lesbar</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>In Warteschlange</translation>
    </message>
    <message>
        <source>%1 done · %2 running · %3 failed · %4 waiting</source>
        <translation>%1 fertig · %2 laufen · %3 fehlgeschlagen · %4 warten</translation>
    </message>
    <message>
        <source>%1 done · %2 running · %3 failed · %4 missing</source>
        <translation>%1 fertig · %2 laufen · %3 fehlgeschlagen · %4 fehlen</translation>
    </message>
    <message>
        <source>%1 videos/min</source>
        <translation>%1 Videos/min</translation>
    </message>
    <message>
        <source>Task %1: %2 of %3 done, %4 failed — %5</source>
        <translation>Aufgabe %1: %2 von %3 fertig, %4 fehlgeschlagen — %5</translation>
    </message>
    <message>
        <source>not in Slurm&apos;s queue</source>
        <translation>nicht in der Warteschlange von Slurm</translation>
    </message>
    <message>
        <source>Row %1 failed: %2</source>
        <translation>Zeile %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Nothing to resubmit: every row is done or running.</source>
        <translation>Nichts neu einzureichen: Jede Zeile ist fertig oder läuft.</translation>
    </message>
    <message>
        <source>Resubmitted the unfinished tasks as job %1.</source>
        <translation>Die unfertigen Aufgaben als Job %1 neu eingereicht.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::CaptionStyleDialog</name>
    <message>
        <source>Caption style</source>
        <translation>Untertitelstil</translation>
    </message>
    <message>
        <source>Caption font</source>
        <translation>Untertitelschrift</translation>
    </message>
    <message>
        <source>Caption size</source>
        <translation>Untertitelgröße</translation>
    </message>
    <message>
        <source>Of the automatic size, which follows the video&apos;s height (and width in portrait videos)</source>
        <translation>Der automatischen Größe, die der Höhe des Videos folgt (im Hochformat auch seiner Breite)</translation>
    </message>
    <message>
        <source>Caption position</source>
        <translation>Untertitelposition</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>Unten</translation>
    </message>
    <message>
        <source>Middle</source>
        <translation>Mitte</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>Oben</translation>
    </message>
    <message>
        <source>&amp;Font:</source>
        <translation>&amp;Schrift:</translation>
    </message>
    <message>
        <source>&amp;Size:</source>
        <translation>&amp;Größe:</translation>
    </message>
    <message>
        <source>&amp;Position:</source>
        <translation>&amp;Position:</translation>
    </message>
    <message>
        <source>&amp;Text colour:</source>
        <translation>&amp;Textfarbe:</translation>
    </message>
    <message>
        <source>Spo&amp;ken word:</source>
        <translation>Gesp&amp;rochenes Wort:</translation>
    </message>
    <message>
        <source>&amp;Outline:</source>
        <translation>&amp;Kontur:</translation>
    </message>
    <message>
        <source>The preview is drawn as the render draws it, at the video&apos;s shape (%1 × %2).</source>
        <translation>Die Vorschau ist so gezeichnet, wie das Rendern zeichnet, im Format des Videos (%1 × %2).</translation>
    </message>
    <message>
        <source>Caption text colour</source>
        <translation>Textfarbe der Untertitel</translation>
    </message>
    <message>
        <source>Colour of the spoken word</source>
        <translation>Farbe des gesprochenen Worts</translation>
    </message>
    <message>
        <source>Caption outline colour</source>
        <translation>Konturfarbe der Untertitel</translation>
    </message>
    <message>
        <source>This is how your captions look</source>
        <translation>So sehen Ihre Untertitel aus</translation>
    </message>
</context>
<context>
    <name>avatar::ui::ComposerPanel</name>
    <message>
        <source>Render</source>
        <translation>Rendern</translation>
    </message>
    <message>
        <source>Job name</source>
        <translation>Auftragsname</translation>
    </message>
    <message>
        <source>Optional; names the video file</source>
        <translation>Optional; benennt die Videodatei</translation>
    </message>
    <message>
        <source>landscape</source>
        <translation>quer</translation>
    </message>
    <message>
        <source>portrait</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>square</source>
        <translation>quadratisch</translation>
    </message>
    <message>
        <source>Video size</source>
        <translation>Videogröße</translation>
    </message>
    <message>
        <source>Width × height of the video in pixels</source>
        <translation>Breite × Höhe des Videos in Pixeln</translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation>%1 B/s</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Bildrate</translation>
    </message>
    <message>
        <source>Frames per second; 25 or 30 suit talking heads, 29.97 and 59.94 match NTSC video</source>
        <translation>Bilder pro Sekunde; 25 oder 30 passen für Sprecher, 29,97 und 59,94 zu NTSC-Video</translation>
    </message>
    <message>
        <source>Speaking speed</source>
        <translation>Sprechtempo</translation>
    </message>
    <message>
        <source>How fast the voice speaks (0.5 to 2)</source>
        <translation>Wie schnell die Stimme spricht (0,5 bis 2)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Burned into the video</source>
        <translation>Ins Video eingebrannt</translation>
    </message>
    <message>
        <source>SRT file</source>
        <translation>SRT-Datei</translation>
    </message>
    <message>
        <source>WebVTT file</source>
        <translation>WebVTT-Datei</translation>
    </message>
    <message>
        <source>All of them</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>Untertitel</translation>
    </message>
    <message>
        <source>Subtitles drawn into the frames and/or written beside the video</source>
        <translation>Untertitel in die Bilder gezeichnet und/oder neben das Video geschrieben</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>High-priority jobs run before normal and low ones</source>
        <translation>Aufträge mit hoher Priorität laufen vor normalen und niedrigen</translation>
    </message>
    <message>
        <source>Queue this video for rendering (Ctrl+Return)</source>
        <translation>Dieses Video zum Rendern einreihen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>Skript</translation>
    </message>
    <message>
        <source>Presenter</source>
        <translation>Sprecher</translation>
    </message>
    <message>
        <source>Voice and output</source>
        <translation>Stimme und Ausgabe</translation>
    </message>
    <message>
        <source>&amp;Voice:</source>
        <translation>&amp;Stimme:</translation>
    </message>
    <message>
        <source>S&amp;peed:</source>
        <translation>&amp;Tempo:</translation>
    </message>
    <message>
        <source>&amp;Size:</source>
        <translation>&amp;Größe:</translation>
    </message>
    <message>
        <source>&amp;Frame rate:</source>
        <translation>&amp;Bildrate:</translation>
    </message>
    <message>
        <source>&amp;Captions:</source>
        <translation>&amp;Untertitel:</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>P&amp;riorität:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Type a script first.</source>
        <translation>Geben Sie zuerst ein Skript ein.</translation>
    </message>
    <message>
        <source>The output folder %1 cannot be created.</source>
        <translation>Der Ausgabeordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Avatar %1</source>
        <translation>Avatar %1</translation>
    </message>
    <message>
        <source>dlib (HOG)</source>
        <translation>dlib (HOG)</translation>
    </message>
    <message>
        <source>Neural (LibTorch)</source>
        <translation>Neuronal (LibTorch)</translation>
    </message>
    <message>
        <source>Face finder</source>
        <translation>Gesichtserkennung</translation>
    </message>
    <message>
        <source>Face f&amp;inder:</source>
        <translation>Gesichts&amp;erkennung:</translation>
    </message>
    <message>
        <source>&lt;p&gt;How the portrait&apos;s face and its 68 landmarks are found.&lt;/p&gt;&lt;p&gt;&lt;b&gt;dlib (HOG)&lt;/b&gt;: fast; for front-facing faces of at least about 40 pixels.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Neural (LibTorch)&lt;/b&gt;: the face-api networks; pick it when Check face finds no face, e.g. a small, turned or tilted face. A fraction of a second slower per portrait.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wie das Gesicht im Porträt und seine 68 Merkmalspunkte gefunden werden.&lt;/p&gt;&lt;p&gt;&lt;b&gt;dlib (HOG)&lt;/b&gt;: schnell; für frontale Gesichter ab etwa 40 Pixel.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Neuronal (LibTorch)&lt;/b&gt;: die face-api-Netze; wählen Sie sie, wenn „Gesicht prüfen“ kein Gesicht findet, z. B. ein kleines, gedrehtes oder geneigtes Gesicht. Einen Sekundenbruchteil langsamer je Porträt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>As is</source>
        <translation>Ganzes Bild</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Kopf</translation>
    </message>
    <message>
        <source>Head and shoulders</source>
        <translation>Kopf und Schultern</translation>
    </message>
    <message>
        <source>Framing</source>
        <translation>Bildausschnitt</translation>
    </message>
    <message>
        <source>&lt;p&gt;How the portrait fills the video.&lt;/p&gt;&lt;p&gt;&lt;b&gt;As is&lt;/b&gt;: the whole picture, blurred bars where it does not fill the frame.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Head&lt;/b&gt;: a close-up of the face. &lt;b&gt;Head and shoulders&lt;/b&gt;: framed like a news presenter, the eyes near the upper third.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wie das Porträt das Video füllt.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ganzes Bild&lt;/b&gt;: das ganze Porträt, mit unscharfen Rändern, wo es das Bild nicht füllt.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kopf&lt;/b&gt;: eine Nahaufnahme des Gesichts. &lt;b&gt;Kopf und Schultern&lt;/b&gt;: wie bei Nachrichtensprechern, die Augen nahe dem oberen Drittel.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Fra&amp;ming:</source>
        <translation>Bildauss&amp;chnitt:</translation>
    </message>
    <message>
        <source>⚠ The portrait is small for this size and framing: it is enlarged %1× and will look soft. Use a larger portrait, a smaller size or As is.</source>
        <translation>⚠ Das Porträt ist für diese Größe und diesen Bildausschnitt zu klein: Es wird %1-fach vergrößert und wirkt unscharf. Nehmen Sie ein größeres Porträt, eine kleinere Größe oder „Ganzes Bild“.</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>Neutral</translation>
    </message>
    <message>
        <source>Friendly (resting smile)</source>
        <translation>Freundlich (leichtes Lächeln)</translation>
    </message>
    <message>
        <source>Serious</source>
        <translation>Ernst</translation>
    </message>
    <message>
        <source>Expression</source>
        <translation>Gesichtsausdruck</translation>
    </message>
    <message>
        <source>&lt;p&gt;The presenter&apos;s resting expression while speaking.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Neutral&lt;/b&gt;: the portrait&apos;s own face. &lt;b&gt;Friendly&lt;/b&gt;: a resting smile that moves with the speech. &lt;b&gt;Serious&lt;/b&gt;: mouth corners and brows a little lower.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Der Gesichtsausdruck des Sprechers in Ruhe.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Neutral&lt;/b&gt;: das Gesicht des Porträts, wie es ist. &lt;b&gt;Freundlich&lt;/b&gt;: ein leichtes Lächeln, das sich mit der Sprache bewegt. &lt;b&gt;Ernst&lt;/b&gt;: Mundwinkel und Brauen etwas tiefer.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>E&amp;xpression:</source>
        <translation>&amp;Ausdruck:</translation>
    </message>
    <message>
        <source>Narra&amp;tion:</source>
        <translation>Spreche&amp;r:</translation>
    </message>
    <message>
        <source>Import or record the narration first.</source>
        <translation>Importieren oder nehmen Sie zuerst die Sprachaufnahme auf.</translation>
    </message>
    <message>
        <source>landscape, 4K</source>
        <translation>quer, 4K</translation>
    </message>
    <message>
        <source>veryfast: smallest file</source>
        <translation>veryfast: kleinste Datei</translation>
    </message>
    <message>
        <source>superfast: faster, about 2× the file size</source>
        <translation>superfast: schneller, etwa doppelte Dateigröße</translation>
    </message>
    <message>
        <source>ultrafast: fastest, about 2.8× the file size, no deblocking (drafts)</source>
        <translation>ultrafast: am schnellsten, etwa 2,8-fache Dateigröße, ohne Deblocking (Entwürfe)</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>Kodierung</translation>
    </message>
    <message>
        <source>&lt;p&gt;How the video is compressed. All three keep the picture visually the same for a talking head; the faster ones encode up to 1.6× faster and make larger files.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fastest&lt;/b&gt; also turns off x264&apos;s deblocking filter and CABAC: blockier in fast motion and the largest file. Use it for drafts.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wie das Video komprimiert wird. Alle drei lassen das Bild eines Sprechers sichtbar gleich; die schnelleren kodieren bis zu 1,6-mal schneller und erzeugen größere Dateien.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Am schnellsten&lt;/b&gt; schaltet außerdem den Deblocking-Filter und CABAC von x264 ab: blockiger bei schnellen Bewegungen und die größte Datei. Für Entwürfe.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>&amp;Kodierung:</translation>
    </message>
    <message>
        <source>St&amp;yle…</source>
        <translation>Sti&amp;l …</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Eigene …</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Custom width</source>
        <translation>Eigene Breite</translation>
    </message>
    <message>
        <source>Custom height</source>
        <translation>Eigene Höhe</translation>
    </message>
    <message>
        <source>Even numbers from %1 to %2</source>
        <translation>Gerade Zahlen von %1 bis %2</translation>
    </message>
    <message>
        <source> st</source>
        <translation> HT</translation>
    </message>
    <message>
        <source>Pitch</source>
        <translation>Tonhöhe</translation>
    </message>
    <message>
        <source>Pitch shift of the voice in semitones, -12 (an octave lower) to 12 (an octave higher); 0 keeps the voice&apos;s own pitch</source>
        <translation>Tonhöhenverschiebung der Stimme in Halbtönen (HT), -12 (eine Oktave tiefer) bis 12 (eine Oktave höher); 0 behält die eigene Tonhöhe der Stimme</translation>
    </message>
    <message>
        <source>Font, size, position and colours of the captions burned into the video, with a preview</source>
        <translation>Schrift, Größe, Position und Farben der ins Video eingebrannten Untertitel, mit Vorschau</translation>
    </message>
    <message>
        <source>Pitc&amp;h:</source>
        <translation>Tonhö&amp;he:</translation>
    </message>
    <message>
        <source>The size %1 × %2 is not supported: use even numbers from %3 × %3 to %4 × %5.</source>
        <translation>Die Größe %1 × %2 wird nicht unterstützt: Verwenden Sie gerade Zahlen von %3 × %3 bis %4 × %5.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::GettingStartedDialog</name>
    <message>
        <source>&lt;h2&gt;Your first video&lt;/h2&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Script&lt;/b&gt;: type what the presenter says. Sentences end with . ! or ?; &lt;i&gt;Insert pause&lt;/i&gt; adds a half-second pause.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Presenter&lt;/b&gt;: keep the astronaut or &lt;i&gt;Add portrait…&lt;/i&gt; (or drop image files on the gallery). A portrait is checked for a face at once; one without a face is not rendered.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Voice&lt;/b&gt;: pick a voice and &lt;i&gt;Preview voice&lt;/i&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Output&lt;/b&gt;: size (1080 × 1920 for phones, 3840 × 2160 for 4K), captions, and &lt;i&gt;Encoding&lt;/i&gt;: veryfast makes the smallest file, ultrafast is for drafts.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Render&lt;/b&gt;: the job joins the queue below the player, which shows a live preview and then plays the video. Videos go to the output folder of the settings.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;The &lt;b&gt;Engine tier&lt;/b&gt; in the toolbar decides how much of the computer the engine uses; it does not change the video. The live charts and the profiler (View menu) show where the time goes.&lt;/p&gt;&lt;h3&gt;Shortcuts&lt;/h3&gt;&lt;table cellpadding=&apos;3&apos;&gt;&lt;tr&gt;&lt;td&gt;Ctrl+Return&lt;/td&gt;&lt;td&gt;Render&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+O&lt;/td&gt;&lt;td&gt;Add portrait&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Delete&lt;/td&gt;&lt;td&gt;Remove the selected portrait from the gallery&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+Shift+B&lt;/td&gt;&lt;td&gt;Insert a pause in the script&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+Shift+E&lt;/td&gt;&lt;td&gt;Export the profiler report&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Alt+0 … Alt+3&lt;/td&gt;&lt;td&gt;Show or hide Compose, Job queue, Live charts, Profiler&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+Q&lt;/td&gt;&lt;td&gt;Quit (asks first while jobs render; they resume at the next start)&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h3&gt;Before you publish&lt;/h3&gt;</source>
        <translation>&lt;h2&gt;Ihr erstes Video&lt;/h2&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Skript&lt;/b&gt;: Geben Sie ein, was der Sprecher sagt. Sätze enden mit . ! oder ?; &lt;i&gt;Pause einfügen&lt;/i&gt; fügt eine halbe Sekunde Pause ein.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Sprecher&lt;/b&gt;: Behalten Sie die Astronautin oder wählen Sie &lt;i&gt;Porträt hinzufügen …&lt;/i&gt; (oder ziehen Sie Bilddateien auf die Galerie). Ein Porträt wird sofort auf ein Gesicht geprüft; eines ohne Gesicht wird nicht gerendert.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Stimme&lt;/b&gt;: Wählen Sie eine Stimme und &lt;i&gt;Stimme anhören&lt;/i&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Ausgabe&lt;/b&gt;: Größe (1080 × 1920 für Telefone, 3840 × 2160 für 4K), Untertitel und &lt;i&gt;Kodierung&lt;/i&gt;: veryfast erzeugt die kleinste Datei, ultrafast ist für Entwürfe.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Rendern&lt;/b&gt;: Der Auftrag kommt in die Warteschlange unter dem Player, der eine Live-Vorschau und dann das Video zeigt. Videos landen im Ausgabeordner aus den Einstellungen.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Die &lt;b&gt;Engine-Stufe&lt;/b&gt; in der Werkzeugleiste bestimmt, wie viel des Computers die Engine nutzt; sie ändert das Video nicht. Die Live-Diagramme und der Profiler (Menü Ansicht) zeigen, wohin die Zeit geht.&lt;/p&gt;&lt;h3&gt;Tastenkürzel&lt;/h3&gt;&lt;table cellpadding=&apos;3&apos;&gt;&lt;tr&gt;&lt;td&gt;Strg+Eingabe&lt;/td&gt;&lt;td&gt;Rendern&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Strg+O&lt;/td&gt;&lt;td&gt;Porträt hinzufügen&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Entf&lt;/td&gt;&lt;td&gt;Gewähltes Porträt aus der Galerie entfernen&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Strg+Umschalt+B&lt;/td&gt;&lt;td&gt;Pause ins Skript einfügen&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Strg+Umschalt+E&lt;/td&gt;&lt;td&gt;Profiler-Bericht exportieren&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Alt+0 … Alt+3&lt;/td&gt;&lt;td&gt;Erstellen, Warteschlange, Live-Diagramme, Profiler ein- oder ausblenden&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Strg+Q&lt;/td&gt;&lt;td&gt;Beenden (fragt vorher, solange Aufträge rendern; sie laufen beim nächsten Start weiter)&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h3&gt;Vor dem Veröffentlichen&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>Getting started</source>
        <translation>Erste Schritte</translation>
    </message>
</context>
<context>
    <name>avatar::ui::JobQueuePanel</name>
    <message>
        <source>Job queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the selected job</source>
        <translation>Den gewählten Auftrag anhalten</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Queue a failed or cancelled job again</source>
        <translation>Einen fehlgeschlagenen oder abgebrochenen Auftrag erneut einreihen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected job from the queue (its video stays on disk)</source>
        <translation>Den gewählten Auftrag aus der Warteschlange entfernen (sein Video bleibt erhalten)</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Run the selected job earlier</source>
        <translation>Den gewählten Auftrag früher ausführen</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Run the selected job later</source>
        <translation>Den gewählten Auftrag später ausführen</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <source>Play the finished video in the player</source>
        <translation>Das fertige Video im Player abspielen</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <source>Open the folder that holds the video</source>
        <translation>Den Ordner mit dem Video öffnen</translation>
    </message>
    <message>
        <source>The folder %1 does not exist (any more).</source>
        <translation>Der Ordner %1 existiert nicht (mehr).</translation>
    </message>
    <message>
        <source>Opened %1 in the file manager.</source>
        <translation>%1 im Dateimanager geöffnet.</translation>
    </message>
    <message>
        <source>No file manager could open %1: open it yourself.</source>
        <translation>Kein Dateimanager konnte %1 öffnen: Bitte öffnen Sie den Ordner selbst.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::JobTableModel</name>
    <message>
        <source>%1 percent</source>
        <translation>%1 Prozent</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Vergangen</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Aufnahme</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>Stimme</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>avatar::ui::MainWindow</name>
    <message>
        <source>Avatar Studio</source>
        <translation>Avatar Studio</translation>
    </message>
    <message>
        <source>How late the window&apos;s event loop runs (p95 over the last 30 s)</source>
        <translation>Wie spät die Ereignisschleife des Fensters läuft (p95 über die letzten 30 s)</translation>
    </message>
    <message>
        <source>UI p95 %1 ms</source>
        <translation>UI p95 %1 ms</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Render</source>
        <translation>&amp;Rendern</translation>
    </message>
    <message>
        <source>Queue the composed video (Ctrl+Return)</source>
        <translation>Das zusammengestellte Video einreihen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>&amp;Add portrait…</source>
        <translation>Porträt &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>&amp;Export profiler report…</source>
        <translation>Profiler-Bericht &amp;exportieren …</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Avatar Studio</source>
        <translation>Ü&amp;ber Avatar Studio</translation>
    </message>
    <message>
        <source>Job queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Profiler</source>
        <translation>Profiler</translation>
    </message>
    <message>
        <source>Live charts</source>
        <translation>Live-Diagramme</translation>
    </message>
    <message>
        <source>Queued “%1”.</source>
        <translation>„%1“ eingereiht.</translation>
    </message>
    <message>
        <source>Finished “%1”.</source>
        <translation>„%1“ fertig.</translation>
    </message>
    <message>
        <source>“%1” failed: %2</source>
        <translation>„%1“ fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Rendering “%1” — live preview</source>
        <translation>„%1“ wird gerendert – Live-Vorschau</translation>
    </message>
    <message>
        <source>Workers: %1</source>
        <translation>Worker: %1</translation>
    </message>
    <message>
        <source>Queue: %1 waiting, %2 rendering</source>
        <translation>Warteschlange: %1 wartend, %2 in Arbeit</translation>
    </message>
    <message>
        <source>Compose</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <source>Engine tier</source>
        <translation>Engine-Stufe</translation>
    </message>
    <message>
        <source>&lt;p&gt;How much of the machine the engine takes, applied at once to every job: memory share, batch sizes, scaler thresholds and profiling detail.&lt;/p&gt;&lt;p&gt;It does not change the picture or the file: the composer&apos;s Encoding does.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wie viel des Rechners die Engine nutzt, sofort für alle Aufträge: Speicheranteil, Stapelgrößen, Skalierungsschwellen und Profiling-Detail.&lt;/p&gt;&lt;p&gt;Sie ändert weder Bild noch Datei: Das tut die Kodierung im Editor.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Engine tier:</source>
        <translation>Engine-Stufe:</translation>
    </message>
    <message>
        <source>The new language applies when Avatar Studio is started again.</source>
        <translation>Die neue Sprache gilt nach dem nächsten Start von Avatar Studio.</translation>
    </message>
    <message>
        <source>Not queued: %1</source>
        <translation>Nicht eingereiht: %1</translation>
    </message>
    <message>
        <source>Engine tier: %1</source>
        <translation>Engine-Stufe: %1</translation>
    </message>
    <message>
        <source>Saved the profiler report to %1.</source>
        <translation>Profiler-Bericht unter %1 gespeichert.</translation>
    </message>
    <message>
        <source>The profiler report could not be saved: %1</source>
        <translation>Der Profiler-Bericht konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Quit while rendering?</source>
        <translation>Beenden, während gerendert wird?</translation>
    </message>
    <message>
        <source>&amp;Keep rendering</source>
        <translation>&amp;Weiter rendern</translation>
    </message>
    <message>
        <source>Jobs rendering: %1. They stop now and continue the next time Avatar Studio starts.</source>
        <translation>Laufende Aufträge: %1. Sie halten jetzt an und laufen beim nächsten Start von Avatar Studio weiter.</translation>
    </message>
    <message>
        <source>&amp;Getting started</source>
        <translation>&amp;Erste Schritte</translation>
    </message>
    <message>
        <source>&amp;Engine view</source>
        <translation>&amp;Engine-Ansicht</translation>
    </message>
    <message>
        <source>Show the live charts and the profiler beside the player (Ctrl+E)</source>
        <translation>Live-Diagramme und Profiler neben dem Player zeigen (Strg+E)</translation>
    </message>
</context>
<context>
    <name>avatar::ui::MetricsCharts</name>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Cache hit rate</source>
        <translation>Cache-Trefferquote</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Cache size</source>
        <translation>Cache-Größe</translation>
    </message>
    <message>
        <source>entries</source>
        <translation>Einträge</translation>
    </message>
    <message>
        <source>Scaler</source>
        <translation>Skalierer</translation>
    </message>
    <message>
        <source>count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>frames/s</source>
        <translation>Bilder/s</translation>
    </message>
    <message>
        <source>Latency p95 per stage</source>
        <translation>Latenz p95 je Phase</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>pool reserved</source>
        <translation>Pool reserviert</translation>
    </message>
    <message>
        <source>pool allocated</source>
        <translation>Pool belegt</translation>
    </message>
    <message>
        <source>process RSS</source>
        <translation>Prozess-RSS</translation>
    </message>
    <message>
        <source>L1 (memory)</source>
        <translation>L1 (Speicher)</translation>
    </message>
    <message>
        <source>L2 (disk)</source>
        <translation>L2 (Platte)</translation>
    </message>
    <message>
        <source>L1 entries</source>
        <translation>L1-Einträge</translation>
    </message>
    <message>
        <source>L2 entries</source>
        <translation>L2-Einträge</translation>
    </message>
    <message>
        <source>L1 MiB</source>
        <translation>L1 MiB</translation>
    </message>
    <message>
        <source>L2 MiB</source>
        <translation>L2 MiB</translation>
    </message>
    <message>
        <source>workers</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>queued jobs</source>
        <translation>wartende Aufträge</translation>
    </message>
    <message>
        <source>running jobs</source>
        <translation>laufende Aufträge</translation>
    </message>
    <message>
        <source>decisions</source>
        <translation>Entscheidungen</translation>
    </message>
    <message>
        <source>GPU used</source>
        <translation>GPU belegt</translation>
    </message>
    <message>
        <source>UI ms</source>
        <translation>UI ms</translation>
    </message>
    <message>
        <source>UI thread</source>
        <translation>GUI-Thread</translation>
    </message>
</context>
<context>
    <name>avatar::ui::NarrationPanel</name>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren …</translation>
    </message>
    <message>
        <source>&amp;Listen</source>
        <translation>&amp;Anhören</translation>
    </message>
    <message>
        <source>Synthetic voice</source>
        <translation>Synthetische Stimme</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Aufnahme</translation>
    </message>
    <message>
        <source>Narration</source>
        <translation>Sprecher</translation>
    </message>
    <message>
        <source>&lt;p&gt;Who speaks: the synthetic voice reads the script, or your recording is the sound and the script its transcript (optional).&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wer spricht: Die synthetische Stimme liest das Skript, oder Ihre Aufnahme ist der Ton und das Skript ihr Transkript (optional).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Use an audio file as the narration (WAV, FLAC, MP3, M4A, OGG, Opus); or drop one here</source>
        <translation>Eine Audiodatei als Sprachaufnahme verwenden (WAV, FLAC, MP3, M4A, OGG, Opus); oder hierher ziehen</translation>
    </message>
    <message>
        <source>Play the recording</source>
        <translation>Die Aufnahme abspielen</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>Mikrofonpegel</translation>
    </message>
    <message>
        <source>The recording %1 cannot be read.</source>
        <translation>Die Aufnahme %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>%1 is not an audio file (WAV, FLAC, MP3, M4A, OGG or Opus).</source>
        <translation>%1 ist keine Audiodatei (WAV, FLAC, MP3, M4A, OGG oder Opus).</translation>
    </message>
    <message>
        <source>Import narration</source>
        <translation>Sprachaufnahme importieren</translation>
    </message>
    <message>
        <source>Audio (*.wav *.flac *.mp3 *.m4a *.aac *.ogg *.oga *.opus);;All files (*)</source>
        <translation>Audio (*.wav *.flac *.mp3 *.m4a *.aac *.ogg *.oga *.opus);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The microphone %1 cannot record 48 kHz mono.</source>
        <translation>Das Mikrofon %1 kann nicht mit 48 kHz mono aufnehmen.</translation>
    </message>
    <message>
        <source>The recording cannot be written to %1.</source>
        <translation>Die Aufnahme kann nicht in %1 geschrieben werden.</translation>
    </message>
    <message>
        <source>The microphone could not be opened.</source>
        <translation>Das Mikrofon konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>Nothing was recorded: the microphone sent no sound.</source>
        <translation>Nichts aufgenommen: Das Mikrofon hat keinen Ton geliefert.</translation>
    </message>
    <message>
        <source>■ &amp;Stop</source>
        <translation>■ &amp;Stopp</translation>
    </message>
    <message>
        <source>● &amp;Record</source>
        <translation>● Auf&amp;nehmen</translation>
    </message>
    <message>
        <source>● Re-&amp;record</source>
        <translation>● Neu auf&amp;nehmen</translation>
    </message>
    <message>
        <source>No microphone</source>
        <translation>Kein Mikrofon</translation>
    </message>
    <message>
        <source>Record the narration from %1</source>
        <translation>Die Sprachaufnahme von %1 aufnehmen</translation>
    </message>
    <message>
        <source>No audio input device was found; import a recording instead</source>
        <translation>Kein Audioeingang gefunden; importieren Sie stattdessen eine Aufnahme</translation>
    </message>
    <message>
        <source>■ S&amp;top</source>
        <translation>■ S&amp;topp</translation>
    </message>
    <message>
        <source>▶ &amp;Listen</source>
        <translation>▶ &amp;Anhören</translation>
    </message>
    <message>
        <source>No recording yet: import, drop or record one.</source>
        <translation>Noch keine Aufnahme: importieren, hierher ziehen oder aufnehmen.</translation>
    </message>
    <message>
        <source>Recording: %1</source>
        <translation>Aufnahme: %1</translation>
    </message>
</context>
<context>
    <name>avatar::ui::PlayerPanel</name>
    <message>
        <source>Render a video, then select it in the queue to play it here.
While a job renders, its latest frame appears here.</source>
        <translation>Rendern Sie ein Video und wählen Sie es in der Warteschlange, um es hier abzuspielen.
Während ein Auftrag rendert, erscheint hier sein neuestes Bild.</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>Live preview of the rendering job</source>
        <translation>Live-Vorschau des laufenden Auftrags</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>Abspielen oder pausieren</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>Abspielen oder pausieren (Leertaste)</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>Click or drag to seek</source>
        <translation>Klicken oder ziehen, um zu springen</translation>
    </message>
    <message>
        <source>Previous frame</source>
        <translation>Vorheriges Bild</translation>
    </message>
    <message>
        <source>One frame back, while paused (,)</source>
        <translation>Ein Bild zurück, während pausiert (,)</translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation>Nächstes Bild</translation>
    </message>
    <message>
        <source>One frame forward, while paused (.)</source>
        <translation>Ein Bild vor, während pausiert (.)</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Stumm</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Lautstärke</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Vollbild</translation>
    </message>
    <message>
        <source>Full screen (F; Esc leaves it)</source>
        <translation>Vollbild (F; Esc beendet es)</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>Ton an</translation>
    </message>
</context>
<context>
    <name>avatar::ui::ProfilerPanel</name>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>Bericht exportieren …</translation>
    </message>
    <message>
        <source>Time per stage</source>
        <translation>Zeit je Phase</translation>
    </message>
    <message>
        <source>Stage / zone</source>
        <translation>Phase / Zone</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Total ms</source>
        <translation>Gesamt ms</translation>
    </message>
    <message>
        <source>Mean ms</source>
        <translation>Mittel ms</translation>
    </message>
    <message>
        <source>p50 ms</source>
        <translation>p50 ms</translation>
    </message>
    <message>
        <source>p95 ms</source>
        <translation>p95 ms</translation>
    </message>
    <message>
        <source>p99 ms</source>
        <translation>p99 ms</translation>
    </message>
    <message>
        <source>Render a video to see where the time goes.</source>
        <translation>Rendern Sie ein Video, um zu sehen, wohin die Zeit geht.</translation>
    </message>
    <message>
        <source>Recommendations</source>
        <translation>Empfehlungen</translation>
    </message>
    <message>
        <source>Analyse everything recorded so far</source>
        <translation>Alles bisher Aufgezeichnete auswerten</translation>
    </message>
    <message>
        <source>Save the profile as a Chrome trace (JSON, opens in Perfetto), HTML, CSV or PDF</source>
        <translation>Das Profil als Chrome-Trace (JSON, öffnet in Perfetto), HTML, CSV oder PDF speichern</translation>
    </message>
    <message>
        <source>&lt;b&gt;Bottleneck&lt;/b&gt;</source>
        <translation>&lt;b&gt;Engpass&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommendations&lt;/b&gt;</source>
        <translation>&lt;b&gt;Empfehlungen&lt;/b&gt;</translation>
    </message>
    <message>
        <source>GUI thread latency: p95 %1 ms, max %2 ms</source>
        <translation>Latenz des GUI-Threads: p95 %1 ms, max. %2 ms</translation>
    </message>
    <message>
        <source>Nothing measured yet.</source>
        <translation>Noch nichts gemessen.</translation>
    </message>
    <message>
        <source>%1 (limited by %2, %3% of the time, severity %4)
%5</source>
        <translation>%1 (begrenzt durch %2, %3 % der Zeit, Schwere %4)
%5</translation>
    </message>
    <message>
        <source>%1 — saves about %2%</source>
        <translation>%1 – spart etwa %2 %</translation>
    </message>
    <message>
        <source>No changes recommended.</source>
        <translation>Keine Änderungen empfohlen.</translation>
    </message>
    <message>
        <source>Export profiler report</source>
        <translation>Profiler-Bericht exportieren</translation>
    </message>
    <message>
        <source>HTML report (*.html);;Chrome trace for Perfetto (*.json);;CSV table (*.csv);;PDF document (*.pdf)</source>
        <translation>HTML-Bericht (*.html);;Chrome-Trace für Perfetto (*.json);;CSV-Tabelle (*.csv);;PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>The settings the report and its recommendations are about</source>
        <translation>Die Einstellungen, auf die sich Bericht und Empfehlungen beziehen</translation>
    </message>
    <message>
        <source>Engine tier %1, x264 %2, %3 of %4 threads</source>
        <translation>Engine-Stufe %1, x264 %2, %3 von %4 Threads</translation>
    </message>
</context>
<context>
    <name>avatar::ui::ProjectController</name>
    <message>
        <source>Scene %1</source>
        <translation>Szene %1</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <source>Add scene</source>
        <translation>Szene hinzufügen</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>Duplicate scene</source>
        <translation>Szene duplizieren</translation>
    </message>
    <message>
        <source>Delete scene</source>
        <translation>Szene löschen</translation>
    </message>
    <message>
        <source>Move scene</source>
        <translation>Szene verschieben</translation>
    </message>
    <message>
        <source>Hello! This video was made with Avatar Studio.</source>
        <translation>Hallo! Dieses Video wurde mit Avatar Studio erstellt.</translation>
    </message>
    <message>
        <source>Choose where to save the project first.</source>
        <translation>Wählen Sie zuerst, wo das Projekt gespeichert werden soll.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::ProjectWorkspace</name>
    <message>
        <source>Avatar Studio projects (*.avatarproj)</source>
        <translation>Avatar-Studio-Projekte (*.avatarproj)</translation>
    </message>
    <message>
        <source>Scenes</source>
        <translation>Szenen</translation>
    </message>
    <message>
        <source>Scene %1</source>
        <translation>Szene %1</translation>
    </message>
    <message>
        <source>Render project</source>
        <translation>Projekt rendern</translation>
    </message>
    <message>
        <source>Project rendered: %1</source>
        <translation>Projekt gerendert: %1</translation>
    </message>
    <message>
        <source>&amp;Project</source>
        <translation>&amp;Projekt</translation>
    </message>
    <message>
        <source>&amp;New project</source>
        <translation>&amp;Neues Projekt</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>Projekt ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>Projekt &amp;speichern</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>Projekt speichern &amp;unter …</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Render pro&amp;ject…</source>
        <translation>Pro&amp;jekt rendern …</translation>
    </message>
    <message>
        <source>&amp;Batch from CSV…</source>
        <translation>&amp;Stapel aus CSV …</translation>
    </message>
    <message>
        <source>Scenes — %1%2</source>
        <translation>Szenen — %1%2</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4-Video (*.mp4)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>Recover project</source>
        <translation>Projekt wiederherstellen</translation>
    </message>
    <message>
        <source>Avatar Studio did not close cleanly last time. Recover the project&apos;s unsaved changes?</source>
        <translation>Avatar Studio wurde zuletzt nicht ordnungsgemäß beendet. Die ungespeicherten Änderungen des Projekts wiederherstellen?</translation>
    </message>
    <message>
        <source>Unsaved project</source>
        <translation>Ungespeichertes Projekt</translation>
    </message>
    <message>
        <source>The project %1 has unsaved changes. Save them?</source>
        <translation>Das Projekt %1 hat ungespeicherte Änderungen. Speichern?</translation>
    </message>
</context>
<context>
    <name>avatar::ui::SceneListPanel</name>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>D&amp;uplizieren</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Render &amp;project…</source>
        <translation>&amp;Projekt rendern …</translation>
    </message>
    <message>
        <source>Scenes</source>
        <translation>Szenen</translation>
    </message>
    <message>
        <source>Drag a scene to change the order</source>
        <translation>Ziehen Sie eine Szene, um die Reihenfolge zu ändern</translation>
    </message>
    <message>
        <source>What the presenter says in this scene; {{column}} for a batch&apos;s values</source>
        <translation>Was der Sprecher in dieser Szene sagt; {{Spalte}} für die Werte eines Stapels</translation>
    </message>
    <message>
        <source>Full frame</source>
        <translation>Ganzes Bild</translation>
    </message>
    <message>
        <source>Presenter left of the slide</source>
        <translation>Sprecher links neben der Folie</translation>
    </message>
    <message>
        <source>Presenter right of the slide</source>
        <translation>Sprecher rechts neben der Folie</translation>
    </message>
    <message>
        <source>Presenter in a circle</source>
        <translation>Sprecher in einem Kreis</translation>
    </message>
    <message>
        <source>Presenter in a rounded box</source>
        <translation>Sprecher in einem abgerundeten Rahmen</translation>
    </message>
    <message>
        <source>The background colour (#rrggbb) around the presenter and the slide</source>
        <translation>Die Hintergrundfarbe (#rrggbb) um Sprecher und Folie</translation>
    </message>
    <message>
        <source>An image beside or behind the presenter</source>
        <translation>Ein Bild neben oder hinter dem Sprecher</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>A name shown bottom left, e.g. the presenter&apos;s</source>
        <translation>Ein Name unten links, z. B. der des Sprechers</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>S&amp;cript:</source>
        <translation>S&amp;kript:</translation>
    </message>
    <message>
        <source>La&amp;yout:</source>
        <translation>La&amp;yout:</translation>
    </message>
    <message>
        <source>&amp;Background:</source>
        <translation>&amp;Hintergrund:</translation>
    </message>
    <message>
        <source>Sli&amp;de:</source>
        <translation>&amp;Folie:</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>Lower &amp;third:</source>
        <translation>&amp;Bauchbinde:</translation>
    </message>
    <message>
        <source>Rename scene</source>
        <translation>Szene umbenennen</translation>
    </message>
    <message>
        <source>Edit script</source>
        <translation>Skript bearbeiten</translation>
    </message>
    <message>
        <source>Change layout</source>
        <translation>Layout ändern</translation>
    </message>
    <message>
        <source>Change background</source>
        <translation>Hintergrund ändern</translation>
    </message>
    <message>
        <source>Edit title</source>
        <translation>Titel bearbeiten</translation>
    </message>
    <message>
        <source>Edit lower third</source>
        <translation>Bauchbinde bearbeiten</translation>
    </message>
    <message>
        <source>Choose a slide</source>
        <translation>Folie wählen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Change slide</source>
        <translation>Folie ändern</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen …</translation>
    </message>
    <message>
        <source>Scene %1: %2</source>
        <translation>Szene %1: %2</translation>
    </message>
    <message>
        <source>A video played behind the presenter and the slide, looped over the scene, without its sound</source>
        <translation>Ein Video hinter Sprecher und Folie, über die Szene wiederholt, ohne seinen Ton</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>Schnitt</translation>
    </message>
    <message>
        <source>Crossfade</source>
        <translation>Überblendung</translation>
    </message>
    <message>
        <source>How this scene follows the one before it</source>
        <translation>Wie diese Szene auf die vorige folgt</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>The crossfade&apos;s length: the pictures dissolve between the two speeches</source>
        <translation>Die Länge der Überblendung: die Bilder gehen zwischen den beiden Reden ineinander über</translation>
    </message>
    <message>
        <source>A video clip, with its sound, before the first scene</source>
        <translation>Ein Videoclip mit Ton vor der ersten Szene</translation>
    </message>
    <message>
        <source>A video clip, with its sound, after the last scene</source>
        <translation>Ein Videoclip mit Ton nach der letzten Szene</translation>
    </message>
    <message>
        <source>No background video</source>
        <translation>Kein Hintergrundvideo</translation>
    </message>
    <message>
        <source>T&amp;ransition in:</source>
        <translation>Ü&amp;bergang hinein:</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>Marke</translation>
    </message>
    <message>
        <source>&amp;Intro clip:</source>
        <translation>&amp;Intro-Clip:</translation>
    </message>
    <message>
        <source>No intro clip</source>
        <translation>Kein Intro-Clip</translation>
    </message>
    <message>
        <source>&amp;Outro clip:</source>
        <translation>&amp;Outro-Clip:</translation>
    </message>
    <message>
        <source>No outro clip</source>
        <translation>Kein Outro-Clip</translation>
    </message>
    <message>
        <source>Change transition</source>
        <translation>Übergang ändern</translation>
    </message>
    <message>
        <source>Change crossfade length</source>
        <translation>Länge der Überblendung ändern</translation>
    </message>
    <message>
        <source>Choose a background video</source>
        <translation>Hintergrundvideo wählen</translation>
    </message>
    <message>
        <source>Choose an intro clip</source>
        <translation>Intro-Clip wählen</translation>
    </message>
    <message>
        <source>Choose an outro clip</source>
        <translation>Outro-Clip wählen</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.mov *.mkv *.webm *.avi *.m4v);;All files (*)</source>
        <translation>Videos (*.mp4 *.mov *.mkv *.webm *.avi *.m4v);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Remove background video</source>
        <translation>Hintergrundvideo entfernen</translation>
    </message>
    <message>
        <source>Change background video</source>
        <translation>Hintergrundvideo ändern</translation>
    </message>
    <message>
        <source>Remove intro clip</source>
        <translation>Intro-Clip entfernen</translation>
    </message>
    <message>
        <source>Change intro clip</source>
        <translation>Intro-Clip ändern</translation>
    </message>
    <message>
        <source>Remove outro clip</source>
        <translation>Outro-Clip entfernen</translation>
    </message>
    <message>
        <source>Change outro clip</source>
        <translation>Outro-Clip ändern</translation>
    </message>
    <message>
        <source>Video…</source>
        <translation>Video …</translation>
    </message>
</context>
<context>
    <name>avatar::ui::ScriptEditor</name>
    <message>
        <source>Insert pause</source>
        <translation>Pause einfügen</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>Skript</translation>
    </message>
    <message>
        <source>Type what the presenter says. Sentences end with . ! or ?</source>
        <translation>Geben Sie ein, was der Sprecher sagt. Sätze enden mit . ! oder ?</translation>
    </message>
    <message>
        <source>Script statistics</source>
        <translation>Skriptstatistik</translation>
    </message>
    <message>
        <source>Insert a half-second pause at the cursor (Ctrl+Shift+B)</source>
        <translation>Eine halbe Sekunde Pause an der Schreibmarke einfügen (Strg+Umschalt+B)</translation>
    </message>
    <message>
        <source>Sentences: %1 · Words: %2 · Spoken: about %3</source>
        <translation>Sätze: %1 · Wörter: %2 · Gesprochen: etwa %3</translation>
    </message>
</context>
<context>
    <name>avatar::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Automatic (%1)</source>
        <translation>Automatisch (%1)</translation>
    </message>
    <message>
        <source>Render workers per job</source>
        <translation>Render-Worker je Auftrag</translation>
    </message>
    <message>
        <source>Threads drawing frames for one job; automatic uses every hardware thread</source>
        <translation>Threads, die Bilder für einen Auftrag zeichnen; automatisch nutzt alle Hardware-Threads</translation>
    </message>
    <message>
        <source>Jobs at the same time</source>
        <translation>Gleichzeitige Aufträge</translation>
    </message>
    <message>
        <source>Jobs rendering at once; applies after a restart</source>
        <translation>Gleichzeitig rendernde Aufträge; gilt nach einem Neustart</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Applies after a restart</source>
        <translation>Gilt nach einem Neustart</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>&amp;Ausgabeordner:</translation>
    </message>
    <message>
        <source>&amp;Render workers per job:</source>
        <translation>&amp;Render-Worker je Auftrag:</translation>
    </message>
    <message>
        <source>&amp;Jobs at the same time:</source>
        <translation>&amp;Gleichzeitige Aufträge:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Voice, size, frame rate, captions and priority are remembered from the composer.</source>
        <translation>Stimme, Größe, Bildrate, Untertitel und Priorität werden aus dem Editor übernommen.</translation>
    </message>
    <message>
        <source>The new language applies when Avatar Studio is started again.</source>
        <translation>Die neue Sprache gilt nach dem nächsten Start von Avatar Studio.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::TimeChart</name>
    <message>
        <source>%d s</source>
        <translation>%d s</translation>
    </message>
</context>
<context>
    <name>avatar::ui::UiText</name>
    <message>
        <source>Invalid</source>
        <translation>Ungültig</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>In Warteschlange</translation>
    </message>
    <message>
        <source>Rendering</source>
        <translation>Wird gerendert</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <source>Checking</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Sprachsynthese</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>Gesicht</translation>
    </message>
    <message>
        <source>Animation</source>
        <translation>Animation</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>Kodierung</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <source>Ultra</source>
        <translation>Ultra</translation>
    </message>
    <message>
        <source>Quantum</source>
        <translation>Quantum</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <source>The job database %1 cannot be used: %2

This session&apos;s queue is kept in memory only; its jobs will not come back after a restart.</source>
        <translation>Die Auftragsdatenbank %1 kann nicht verwendet werden: %2

Die Warteschlange dieser Sitzung wird nur im Arbeitsspeicher gehalten; ihre Aufträge kommen nach einem Neustart nicht wieder.</translation>
    </message>
</context>
<context>
    <name>avatar::ui::VoicePicker</name>
    <message>
        <source>Preview voice</source>
        <translation>Stimme anhören</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>Stimme</translation>
    </message>
    <message>
        <source>The synthetic voice that speaks the script</source>
        <translation>Die synthetische Stimme, die das Skript spricht</translation>
    </message>
    <message>
        <source>Play a short sample of the selected voice</source>
        <translation>Eine kurze Probe der gewählten Stimme abspielen</translation>
    </message>
    <message>
        <source>Hello! This is how I sound in your videos.</source>
        <translation>Hello! This is how I sound in your videos.</translation>
    </message>
    <message>
        <source>The voice could not be synthesised.</source>
        <translation>Die Stimme konnte nicht synthetisiert werden.</translation>
    </message>
    <message>
        <source>No audio output device was found: the voice sample cannot be played. Connect speakers or headphones and try again.</source>
        <translation>Kein Audioausgabegerät gefunden: Die Stimmprobe kann nicht abgespielt werden. Schließen Sie Lautsprecher oder Kopfhörer an und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The audio device %1 cannot play the voice sample.</source>
        <translation>Das Audiogerät %1 kann die Stimmprobe nicht abspielen.</translation>
    </message>
    <message>
        <source>Search voices</source>
        <translation>Stimmen suchen</translation>
    </message>
    <message>
        <source>Search…</source>
        <translation>Suchen …</translation>
    </message>
    <message>
        <source>Show only the voices whose name or language contains this text</source>
        <translation>Nur die Stimmen zeigen, deren Name oder Sprache diesen Text enthält</translation>
    </message>
    <message>
        <source>Favourite voice</source>
        <translation>Lieblingsstimme</translation>
    </message>
    <message>
        <source>Mark the voice as a favourite: favourites are listed first</source>
        <translation>Die Stimme als Favorit markieren: Favoriten stehen oben in der Liste</translation>
    </message>
    <message>
        <source>★ Favourites</source>
        <translation>★ Favoriten</translation>
    </message>
    <message>
        <source>No voice matches &quot;%1&quot;</source>
        <translation>Keine Stimme passt zu „%1“</translation>
    </message>
</context>
<context>
    <name>avatar::ui::HealthView</name>
    <message>
        <source>Engine health</source>
        <translation>Zustand der Engine</translation>
    </message>
    <message>
        <source>How often the engine recovered from a failure since the studio started: retried database writes, face backends taken out of use, stuck stages stopped, job threads replaced.</source>
        <translation>Wie oft sich die Engine seit dem Start des Studios von einem Fehler erholt hat: wiederholte Datenbank-Schreibvorgänge, außer Betrieb genommene Gesichts-Backends, angehaltene hängende Stufen, ersetzte Job-Threads.</translation>
    </message>
    <message>
        <source>Retried writes</source>
        <translation>Wiederholte Schreibvorgänge</translation>
    </message>
    <message>
        <source>Retries given up</source>
        <translation>Aufgegebene Wiederholungen</translation>
    </message>
    <message>
        <source>Backends taken out of use</source>
        <translation>Außer Betrieb genommene Backends</translation>
    </message>
    <message>
        <source>Calls past a broken backend</source>
        <translation>Aufrufe an defektem Backend vorbei</translation>
    </message>
    <message>
        <source>Fallback backend used</source>
        <translation>Ersatz-Backend verwendet</translation>
    </message>
    <message>
        <source>Stuck stages stopped</source>
        <translation>Hängende Stufen angehalten</translation>
    </message>
    <message>
        <source>Job threads replaced</source>
        <translation>Job-Threads ersetzt</translation>
    </message>
    <message>
        <source>No failures so far: nothing needed recovering.</source>
        <translation>Bisher keine Fehler: nichts musste wiederhergestellt werden.</translation>
    </message>
    <message>
        <source>Some failures could not be recovered: see the failed jobs&apos; messages.</source>
        <translation>Manche Fehler ließen sich nicht beheben: siehe die Meldungen der fehlgeschlagenen Jobs.</translation>
    </message>
    <message>
        <source>Every failure so far was recovered.</source>
        <translation>Jeder bisherige Fehler wurde behoben.</translation>
    </message>
</context>
<context>
    <name>EngineMessages</name>
    <message>
        <source>No face was found in “%1”. Use a front-facing portrait where the face is at least 40 pixels wide.</source>
        <translation>In „%1“ wurde kein Gesicht gefunden. Verwenden Sie ein Porträt von vorn, auf dem das Gesicht mindestens 40 Pixel breit ist.</translation>
    </message>
    <message>
        <source>The neural face finder found no face in “%1”. Use a portrait where the face is clearly visible.</source>
        <translation>Die neuronale Gesichtserkennung hat in „%1“ kein Gesicht gefunden. Verwenden Sie ein Porträt, auf dem das Gesicht deutlich zu sehen ist.</translation>
    </message>
    <message>
        <source>The face is too small to animate (eyes less than 4 pixels apart).</source>
        <translation>Das Gesicht ist zu klein für die Animation (die Augen liegen weniger als 4 Pixel auseinander).</translation>
    </message>
    <message>
        <source>The face lies outside the video frame.</source>
        <translation>Das Gesicht liegt außerhalb des Videobildes.</translation>
    </message>
    <message>
        <source>The image “%1” cannot be opened for reading.</source>
        <translation>Das Bild „%1“ kann nicht zum Lesen geöffnet werden.</translation>
    </message>
    <message>
        <source>The image “%1” cannot be read.</source>
        <translation>Das Bild „%1“ kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The file “%1” does not exist.</source>
        <translation>Die Datei „%1“ existiert nicht.</translation>
    </message>
    <message>
        <source>The recording “%1” does not exist.</source>
        <translation>Die Aufnahme „%1“ existiert nicht.</translation>
    </message>
    <message>
        <source>The script is empty: write some text to speak.</source>
        <translation>Das Skript ist leer: Schreiben Sie einen Text, der gesprochen werden soll.</translation>
    </message>
    <message>
        <source>The script is too long (%1 bytes; at most %2): split it into several videos.</source>
        <translation>Das Skript ist zu lang (%1 Byte; höchstens %2): Teilen Sie es auf mehrere Videos auf.</translation>
    </message>
    <message>
        <source>A pause in the script is longer than 10 seconds.</source>
        <translation>Eine Pause im Skript ist länger als 10 Sekunden.</translation>
    </message>
    <message>
        <source>The voice “%1” is not installed.</source>
        <translation>Die Stimme „%1“ ist nicht installiert.</translation>
    </message>
    <message>
        <source>Cannot write “%1”: the folder “%2” does not exist.</source>
        <translation>„%1“ kann nicht geschrieben werden: Der Ordner „%2“ existiert nicht.</translation>
    </message>
    <message>
        <source>Cannot write “%1”: the folder “%2” is not writable.</source>
        <translation>„%1“ kann nicht geschrieben werden: Der Ordner „%2“ ist nicht beschreibbar.</translation>
    </message>
    <message>
        <source>Out of memory while writing “%1”.</source>
        <translation>Nicht genug Speicher beim Schreiben von „%1“.</translation>
    </message>
    <message>
        <source>Not enough memory for this render (%1 more): render a smaller size, close other programs or choose a higher engine tier.</source>
        <translation>Nicht genug Speicher für dieses Rendern (%1 mehr): Rendern Sie eine kleinere Größe, schließen Sie andere Programme oder wählen Sie eine höhere Engine-Stufe.</translation>
    </message>
    <message>
        <source>“%1” is not an image the studio can read (PNG, JPEG, BMP, WebP or TIFF).</source>
        <translation>„%1“ ist kein Bild, das das Studio lesen kann (PNG, JPEG, BMP, WebP oder TIFF).</translation>
    </message>
    <message>
        <source>“%1” is a folder, not an image.</source>
        <translation>„%1“ ist ein Ordner, kein Bild.</translation>
    </message>
</context>
</TS>
