// The period report's form: typing a date of the period chooses "Custom", since
// the dates are read only for a custom period.
document.addEventListener("DOMContentLoaded", () => {
  const custom = document.querySelector('input[name="period"][value="custom"]');
  if (!custom) {
    return;
  }
  for (const id of ["id_first", "id_last"]) {
    const field = document.getElementById(id);
    if (field) {
      field.addEventListener("input", () => {
        custom.checked = true;
      });
    }
  }
});
