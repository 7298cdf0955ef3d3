<?php
// Replaces an activity's package as its teacher would: "Settings", a new zip in the "Package file"
// box, "Save and display". update_moduleinfo() calls scorm_update_instance(), which stores the new
// zip; scorm_parse() sees its new content hash, unpacks it, re-reads the manifest and adds one to
// the activity's revision. Nothing else in the settings changes.
//
// Args: {"cmid": CMID, "teacher": USERID, "zip": "/path/to/package.zip"}
// Result: see lm_scorm_summary(). A package the form refuses gives exit status 3.

require(__DIR__ . '/bootstrap.php');
require_once(__DIR__ . '/scorm_form.php');

$args = lm_args();
lm_act_as((int)$args['teacher']);
$cm = get_coursemodule_from_id('scorm', (int)$args['cmid'], 0, false, MUST_EXIST);
$course = get_course($cm->course);
$PAGE->set_course($course);
$PAGE->set_cm($cm, $course);

// What course/modedit.php?update=CMID prepares.
[$cm, $context, $module, $data, $cw] = get_moduleinfo_data($cm, $course);
$data->return = 0;
$data->update = $cm->id;

[$fromform, $form] = lm_submit_scorm_form($data, $cw->section, $cm, $course, function(array &$post) use ($args) {
    $post['packagefile'] = lm_draft_file($args['zip']);
});
update_moduleinfo($cm, $fromform, $course, $form);

lm_result(lm_scorm_summary((int)$cm->id));
