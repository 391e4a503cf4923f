// Fills the sign-in form's time zone with the browser's, so times show in the viewer's zone.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.getElementById("zone");
  try {
    if (field && !field.dataset.touched) {
      field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    }
  } catch (e) {
    // Leave UTC.
  }
});
